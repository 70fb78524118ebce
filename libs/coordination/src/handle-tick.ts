import type { SessionEvent } from './events.js';
import { finishReports } from './handle-abort.js';
import type { SessionContext } from './session-context.js';
import { PARTIES } from './session-state.js';

type Tick = Extract<SessionEvent, { type: 'tick' }>;

/**
 * The clock moved: the report grace ends, the session times out, or a lost party's lease runs
 * out (it did not come back in time, so its secrets are gone with its process or its network).
 */
export function tick(ctx: SessionContext, event: Tick): void {
  const phase = ctx.phase;
  if (phase.name === 'completed' || phase.name === 'aborted') return;
  if (phase.name === 'aborting') {
    if (event.now >= phase.until) finishReports(ctx);
    return;
  }
  if (event.now >= ctx.state.deadline) {
    return ctx.abort(
      'timeout',
      `the session did not complete within ${ctx.rules.sessionTimeoutMs} ms`,
      'coordinator',
    );
  }
  if (phase.name === 'waiting') return;
  for (const p of PARTIES) {
    const presence = ctx.state.presence.get(p);
    if (presence && !presence.online && event.now - presence.since >= ctx.rules.nodeLeaseMs) {
      return ctx.abort(
        'party-disconnected',
        `party ${p} was unreachable for ${ctx.rules.nodeLeaseMs} ms (the node lease)`,
        p,
      );
    }
  }
}
