import type { SessionEvent } from './events.js';
import * as to from './node-messages.js';
import type { SessionContext } from './session-context.js';

/**
 * A session that has ended still answers: a node that comes back holding it, or still owing its
 * ledger an outcome, learns how it ended (and whether the coordinator refunded); any other
 * message is refused as `session-not-running`, without further consequence.
 */
export function ended(ctx: SessionContext, event: SessionEvent): void {
  const phase = ctx.phase;
  if (event.type === 'party-online') {
    if (phase.name === 'completed') ctx.send(event.party, to.completed(ctx.id));
    if (phase.name === 'aborted')
      ctx.send(event.party, to.aborted(ctx.id, phase.code, phase.message, phase.refunded));
    return;
  }
  if (event.type === 'party-lost' || event.type === 'tick' || !('party' in event)) return;
  ctx.refuse(event.party, 'session-not-running', `session ${ctx.id} has ended`);
}
