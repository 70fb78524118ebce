import type { DeliveryRef } from './actions.js';
import { remove } from './mailbox.js';
import type { JiffContext } from './state.js';

/** The client acknowledged a mailbox message: it leaves the mailbox. */
export function handleDelivered(ctx: JiffContext, ref: DeliveryRef): void {
  const party = ctx.state.computations.get(ref.computationId)?.parties.get(ref.partyId);
  if (party !== undefined) remove(ctx, party, ref.seq);
}

/**
 * The socket is gone. The party keeps its slot, key and mailbox so that it can re-initialize
 * with the same credential and key (docs/jiff.md, 9.6).
 */
export function handleDisconnect(ctx: JiffContext, socketId: string): void {
  ctx.state.socketErrors.delete(socketId);
  const binding = ctx.state.sockets.get(socketId);
  if (binding === undefined) return;
  ctx.state.sockets.delete(socketId);
  const party = ctx.state.computations.get(binding.computationId)?.parties.get(binding.partyId);
  if (party?.socketId === socketId) party.socketId = undefined;
}
