import type { JiffAction, JiffRelay } from './actions.js';
import { requireId } from './fields.js';
import { JiffServerError } from './jiff-error.js';
import type { JiffLimits } from './limits.js';
import { enqueue } from './mailbox.js';
import { normalisePartyId } from './party-id.js';
import { isJsonObject, type JsonObject, parsePayload } from './payload.js';
import { relayDigest } from './relay-digest.js';
import { requireParty } from './require-party.js';
import type { JiffContext } from './state.js';
import { parseZp } from './zp.js';

export type RelayEvent = 'share' | 'open' | 'custom';

/**
 * `share`, `open` and `custom` (docs/jiff.md, 9.4): the sender names the receiver in `party_id`;
 * the receiver gets the same object with `party_id` replaced by the sender's id taken from the
 * socket's binding, so no client can speak for another. Payloads stay opaque ciphertext; only
 * their shape is checked.
 */
export function handleRelay(
  ctx: JiffContext,
  socketId: string,
  event: RelayEvent,
  args: readonly unknown[],
): { actions: JiffAction[]; relay: JiffRelay } {
  const { computation, party: sender } = requireParty(ctx, socketId);
  const msg = parsePayload(args, ctx.limits);
  const receiverId = normalisePartyId(msg.party_id, computation.partyCount);
  const receiver = receiverId === undefined ? undefined : computation.parties.get(receiverId);
  if (receiver === undefined || receiver === sender) {
    throw new JiffServerError(
      'invalid-receiver',
      `party_id must name another party of this computation (1..${computation.partyCount})`,
    );
  }
  checkShape(event, msg, ctx.limits);
  computation.lastActivity = ctx.now();
  const payload = JSON.stringify({ ...msg, party_id: sender.id });
  const digest =
    event === 'custom'
      ? relayDigest(event, msg.tag as string, msg.message)
      : relayDigest(event, msg.op_id as string, msg.share);
  const actions = enqueue(ctx, computation, receiver, event, payload);
  return {
    actions,
    relay: { computationId: computation.id, from: sender.id, to: receiver.id, event, digest },
  };
}

function checkShape(event: RelayEvent, msg: JsonObject, limits: JiffLimits): void {
  switch (event) {
    case 'share':
      requireId(msg.op_id, 'op_id', limits);
      requireCipher(msg.share, 'share');
      return;
    case 'open':
      requireId(msg.op_id, 'op_id', limits);
      requireCipher(msg.share, 'share');
      parseZp(msg.Zp, limits);
      return;
    case 'custom':
      requireId(msg.tag, 'tag', limits);
      requireCipher(msg.message, 'message');
      if (msg.encrypted !== undefined && typeof msg.encrypted !== 'boolean') {
        throw new JiffServerError('invalid-payload', 'encrypted must be a boolean');
      }
      return;
  }
}

/** A libsodium box `{nonce, cipher}` (strings), or a plain string (custom with encrypt=false). */
function requireCipher(value: unknown, field: string): void {
  if (typeof value === 'string') return;
  if (isJsonObject(value) && typeof value.nonce === 'string' && typeof value.cipher === 'string') {
    return;
  }
  throw new JiffServerError('invalid-payload', `${field} must be a string or {nonce, cipher}`);
}
