import { JiffServerError } from './jiff-error.js';
import { boundParty, type ComputationState, type JiffContext, type PartyState } from './state.js';

/** The sender of a computation event; events before `initialization` are refused. */
export function requireParty(
  ctx: JiffContext,
  socketId: string,
): { computation: ComputationState; party: PartyState } {
  const bound = boundParty(ctx.state, socketId);
  if (bound === undefined) {
    throw new JiffServerError('not-initialized', 'send initialization before any other event');
  }
  return bound;
}
