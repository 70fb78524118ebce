import type { JiffAction } from './actions.js';
import { entryFor, markFetched } from './dealer-cache.js';
import { isCryptoLabel, paramsFingerprint, parseDealerParams } from './dealer-material.js';
import { requireId } from './fields.js';
import { formatInteger } from './integers.js';
import { JiffServerError } from './jiff-error.js';
import { enqueue } from './mailbox.js';
import { normalisePartyId } from './party-id.js';
import { parsePayload } from './payload.js';
import { requireParty } from './require-party.js';
import type { ComputationState, JiffContext } from './state.js';
import { isProbablePrime, type Modulus, parseZp } from './zp.js';

/**
 * `crypto_provider` (docs/jiff.md, 9.5): the first request for an op id fixes the material for
 * every receiver; each receiver gets its own shares in secret order, in the number type of its
 * request. The entry is dropped once every receiver has fetched, and its op id is remembered so
 * that a late replay cannot mint fresh, inconsistent material (it is acknowledged and ignored).
 */
export function handleCryptoProvider(
  ctx: JiffContext,
  socketId: string,
  args: readonly unknown[],
): JiffAction[] {
  const { computation, party } = requireParty(ctx, socketId);
  const msg = parsePayload(args, ctx.limits);
  if (!isCryptoLabel(msg.label)) {
    throw new JiffServerError('unknown-crypto-label', 'label must be triplet, numbers or quotient');
  }
  const opId = requireId(msg.op_id, 'op_id', ctx.limits);
  const receivers = parseReceivers(msg.receivers, computation);
  if (!receivers.includes(party.id)) {
    throw new JiffServerError('not-a-receiver', 'the requester must be one of the receivers');
  }
  const threshold = normalisePartyId(msg.threshold, receivers.length);
  if (threshold === undefined) {
    throw new JiffServerError(
      'invalid-params',
      'threshold must be an integer in 1..receivers.length',
    );
  }
  const zp = checkedZp(ctx, computation, msg.Zp, receivers);
  const params = parseDealerParams(msg.label, msg.params, zp.value, ctx.limits);
  const fingerprint = [
    paramsFingerprint(params),
    [...receivers].sort((a, b) => a - b).join(','),
    threshold,
    zp.value,
  ].join('|');
  computation.lastActivity = ctx.now();

  const entry = entryFor(ctx, computation, {
    opId,
    fingerprint,
    params,
    zp: zp.value,
    receivers,
    threshold,
  });
  // A client re-sends requests whose acknowledgement was lost; every receiver already holds its
  // shares (or has them waiting in its mailbox), so such a replay is accepted and ignored.
  if (entry === undefined) return [];

  const shares = entry.shares.get(party.id) ?? [];
  const payload = JSON.stringify({
    op_id: opId,
    receivers: msg.receivers,
    threshold: msg.threshold,
    Zp: zp.raw,
    shares: shares.map((s) => formatInteger(s, zp.kind)),
  });
  const actions = enqueue(ctx, computation, party, 'crypto_provider', payload);
  markFetched(ctx, computation, opId, entry, party.id);
  return actions;
}

function parseReceivers(raw: unknown, computation: ComputationState): number[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > computation.partyCount) {
    throw new JiffServerError('invalid-params', 'receivers must be a non-empty list of party ids');
  }
  const ids = raw.map((r) => normalisePartyId(r, computation.partyCount));
  if (ids.some((id) => id === undefined) || new Set(ids).size !== ids.length) {
    throw new JiffServerError(
      'invalid-params',
      'receivers must be distinct party ids of this computation',
    );
  }
  return ids as number[];
}

/** Zp must be prime (tested once per computation) and exceed every receiver's evaluation point. */
function checkedZp(
  ctx: JiffContext,
  computation: ComputationState,
  raw: unknown,
  receivers: readonly number[],
): Modulus {
  const zp = parseZp(raw, ctx.limits);
  if (zp.value <= BigInt(Math.max(...receivers))) {
    throw new JiffServerError('invalid-zp', 'Zp must be larger than every receiver id');
  }
  const key = zp.value.toString();
  let prime = computation.checkedZp.get(key);
  if (prime === undefined) {
    if (computation.checkedZp.size >= ctx.limits.maxZpPerComputation) {
      throw new JiffServerError(
        'limit-exceeded',
        'too many distinct Zp values in this computation',
      );
    }
    prime = isProbablePrime(zp.value);
    computation.checkedZp.set(key, prime);
  }
  if (!prime) throw new JiffServerError('invalid-zp', 'Zp must be prime');
  return zp;
}
