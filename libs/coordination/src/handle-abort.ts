import type { PartyNumber } from '#concord/transcript';
import type { SessionEvent } from './events.js';
import type { SessionContext } from './session-context.js';
import { PARTIES } from './session-state.js';

type AbortReport = Extract<SessionEvent, { type: 'abort-report' }>;

/**
 * A party stopped the session and says why. Every report is written to the transcript; the
 * session ends once every party reported or the grace period passed, so the other parties'
 * reports (and their suspects) are on record too: an inconsistent opening is seen by both honest
 * parties, and only all the reports together say who the deviator can be.
 */
export function abortReport(ctx: SessionContext, event: AbortReport): void {
  const phase = ctx.phase;
  if (phase.name === 'completed' || phase.name === 'aborted') return;
  if (ctx.state.reports.some((r) => r.party === event.party)) return;
  const suspects = [...new Set(event.suspects)].filter(
    (p): p is PartyNumber => p === 1 || p === 2 || p === 3,
  );
  const report = { party: event.party, code: event.code, message: event.message, suspects };
  ctx.state.reports.push(report);
  ctx.append('party.aborted', report);
  ctx.commit();
  if (phase.name !== 'aborting') {
    ctx.state.phase = {
      name: 'aborting',
      until: ctx.now + ctx.rules.reportGraceMs,
      code: 'party-aborted',
      by: event.party,
    };
  }
  if (PARTIES.every((p) => ctx.state.reports.some((r) => r.party === p))) finishReports(ctx);
}

/** Ends an `aborting` session with every report collected so far in its message. */
export function finishReports(ctx: SessionContext): void {
  const phase = ctx.phase;
  if (phase.name !== 'aborting') return;
  ctx.abort(phase.code, describeReports(ctx), phase.by);
}

const MAX_MESSAGE = 1000;

/** One line per report: who, what, whom it suspects (the full text is in the transcript). */
function describeReports(ctx: SessionContext): string {
  const parts = ctx.state.reports.map((r) => {
    const suspects =
      r.suspects.length === 0
        ? ''
        : `, suspects: ${r.suspects.map((p) => `party ${p}`).join(' and ')}`;
    const verb =
      ctx.phase.name === 'aborting' && ctx.phase.code === 'declined' ? 'declined' : 'aborted';
    return `party ${r.party} ${verb} (${r.code}${suspects}): ${r.message}`;
  });
  const text = parts.join('; ');
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`;
}
