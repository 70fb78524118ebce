import type { JiffAction, JiffMailboxEvent } from './actions.js';
import { JiffServerError } from './jiff-error.js';
import type { ComputationState, JiffContext, PartyState } from './state.js';

/**
 * Appends a message to the receiver's mailbox and returns the delivery for its socket (none while
 * the receiver is offline). Messages leave the mailbox only when acknowledged, so delivery is
 * at-least-once and FIFO per receiver; `mailbox-full` refuses rather than grow without bound.
 */
export function enqueue(
  ctx: JiffContext,
  computation: ComputationState,
  party: PartyState,
  event: JiffMailboxEvent,
  payload: string,
): JiffAction[] {
  const { maxMailboxMessages, maxMailboxBytes, maxTotalMailboxBytes } = ctx.limits;
  if (
    party.mailbox.size >= maxMailboxMessages ||
    party.mailboxBytes + payload.length > maxMailboxBytes ||
    ctx.state.mailboxBytes + payload.length > maxTotalMailboxBytes
  ) {
    throw new JiffServerError(
      'mailbox-full',
      `party ${party.id} has ${party.mailbox.size} unacknowledged messages; retry after it catches up`,
    );
  }
  return put(ctx, computation, party, event, payload);
}

/**
 * Queues the current key map for a party. A party needs only the newest map (clients add keys
 * they lack and ignore the rest), so an older pending map is replaced; this keeps key updates
 * outside the mailbox bounds without letting them accumulate.
 */
export function enqueuePublicKeys(
  ctx: JiffContext,
  computation: ComputationState,
  party: PartyState,
): JiffAction[] {
  if (party.pendingKeysSeq !== undefined) remove(ctx, party, party.pendingKeysSeq);
  const payload = JSON.stringify({ public_keys: publicKeyMap(computation) });
  const actions = put(ctx, computation, party, 'public_keys', payload);
  party.pendingKeysSeq = ctx.state.nextSeq - 1;
  return actions;
}

/** Every pending message again, in order, to the party's current socket (after initialization). */
export function replay(computation: ComputationState, party: PartyState): JiffAction[] {
  const socketId = party.socketId;
  if (socketId === undefined) return [];
  return [...party.mailbox].map(([seq, entry]) => ({
    kind: 'deliver' as const,
    socketId,
    event: entry.event,
    payload: entry.payload,
    ref: { computationId: computation.id, partyId: party.id, seq },
  }));
}

/** Drops an acknowledged message; unknown (already dropped) sequence numbers are ignored. */
export function remove(ctx: JiffContext, party: PartyState, seq: number): void {
  const entry = party.mailbox.get(seq);
  if (entry === undefined) return;
  party.mailbox.delete(seq);
  party.mailboxBytes -= entry.payload.length;
  ctx.state.mailboxBytes -= entry.payload.length;
  if (party.pendingKeysSeq === seq) party.pendingKeysSeq = undefined;
}

/** Keys of every party that initialized, plus `s1`; object keys are decimal ids as JIFF expects. */
export function publicKeyMap(computation: ComputationState): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const party of computation.parties.values()) {
    if (party.publicKey !== undefined) keys[String(party.id)] = party.publicKey;
  }
  keys.s1 = computation.serverPublicKey;
  return keys;
}

function put(
  ctx: JiffContext,
  computation: ComputationState,
  party: PartyState,
  event: JiffMailboxEvent,
  payload: string,
): JiffAction[] {
  const seq = ctx.state.nextSeq;
  ctx.state.nextSeq += 1;
  party.mailbox.set(seq, { event, payload });
  party.mailboxBytes += payload.length;
  ctx.state.mailboxBytes += payload.length;
  if (party.socketId === undefined) return [];
  return [
    {
      kind: 'deliver',
      socketId: party.socketId,
      event,
      payload,
      ref: { computationId: computation.id, partyId: party.id, seq },
    },
  ];
}
