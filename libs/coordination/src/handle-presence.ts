import type { PartyNumber } from '#concord/transcript';
import type { SessionEvent } from './events.js';
import * as to from './node-messages.js';
import { REPORTER } from './session-config.js';
import type { SessionContext } from './session-context.js';
import { PARTIES } from './session-state.js';

type Online = Extract<SessionEvent, { type: 'party-online' }>;
type Lost = Extract<SessionEvent, { type: 'party-lost' }>;

/**
 * A party's node authenticated (again). In `waiting`, the third one online starts the session. A
 * node that still holds the session is brought up to date (`resync`); one that comes back without
 * it lost its secrets with its process: fine before it accepted (it is invited again), fatal after.
 */
export function partyOnline(ctx: SessionContext, event: Online): void {
  ctx.state.presence.set(event.party, { online: true, since: event.now, engine: event.engine });
  const phase = ctx.phase;
  switch (phase.name) {
    case 'waiting':
      return inviteWhenAllOnline(ctx);
    case 'inviting':
    case 'committing':
    case 'computing':
    case 'sealing':
      if (event.holdsSession) return resync(ctx, event.party);
      if (ctx.state.acceptances.has(event.party)) {
        return ctx.abort(
          'party-restarted',
          `party ${event.party} came back without the session: its node restarted and lost the session's secrets`,
          event.party,
        );
      }
      if (phase.name === 'inviting')
        ctx.send(
          event.party,
          to.invitation(ctx.id, ctx.record.plan, ctx.record.planHash, phase.engine),
        );
      return;
    case 'aborting':
    case 'completed':
    case 'aborted':
      return;
  }
}

export function partyLost(ctx: SessionContext, event: Lost): void {
  const was = ctx.state.presence.get(event.party);
  if (was && !was.online) return;
  ctx.state.presence.set(event.party, { online: false, since: event.now, engine: was?.engine });
  if (ctx.phase.name !== 'waiting' && ctx.phase.name !== 'aborting') {
    ctx.log('warn', `party ${event.party} lost; the session waits for it up to the node lease`, {
      party: event.party,
      leaseMs: ctx.rules.nodeLeaseMs,
    });
  }
}

/** Invites the three nodes once all are online and run one engine. */
function inviteWhenAllOnline(ctx: SessionContext): void {
  if (!PARTIES.every((p) => ctx.isOnline(p))) return;
  const engines = new Set(PARTIES.map((p) => ctx.state.presence.get(p)?.engine ?? 'native'));
  if (engines.size !== 1) {
    const described = PARTIES.map(
      (p) => `party ${p}: ${ctx.state.presence.get(p)?.engine ?? 'native'}`,
    ).join(', ');
    return ctx.abort(
      'engine-mismatch',
      `the connected agency nodes run different engines (${described}); a session runs with all three on the native engine or all three on JIFF`,
      'coordinator',
    );
  }
  const [engine] = [...engines];
  ctx.enter({ name: 'inviting', engine });
  ctx.sendAll(to.invitation(ctx.id, ctx.record.plan, ctx.record.planHash, engine));
  ctx.milestone('invited');
}

/**
 * Brings a returning party (or, after it, its peers) up to date: the current phase's message
 * again (nodes treat repeats as no-ops), then `session.resume` saying what the coordinator has
 * recorded from it, so it resends what is missing and every envelope not yet acknowledged. In the
 * data phase its peers are asked too, since envelopes addressed to it may have been lost.
 */
export function resync(ctx: SessionContext, party: PartyNumber): void {
  const phase = ctx.phase;
  const { state } = ctx;
  switch (phase.name) {
    case 'inviting':
      ctx.send(party, to.invitation(ctx.id, ctx.record.plan, ctx.record.planHash, phase.engine));
      break;
    case 'committing':
      ctx.send(party, to.sessionKeys(ctx.id, [...state.acceptances.values()]));
      break;
    case 'computing':
      ctx.send(party, to.goAhead(ctx.id, state.commitments));
      break;
    case 'sealing':
      ctx.send(party, to.sealRequest(ctx.id, state.entries));
      break;
    case 'waiting':
    case 'aborting':
    case 'completed':
    case 'aborted':
      return;
  }
  const targets = phase.name === 'computing' ? PARTIES.filter((p) => ctx.isOnline(p)) : [party];
  for (const p of targets) ctx.send(p, to.resume(ctx.id, recordedFrom(ctx, p)));
}

function recordedFrom(ctx: SessionContext, party: PartyNumber) {
  const { state } = ctx;
  const reported =
    state.results.has(party) &&
    (party !== REPORTER || state.reporterOutputs !== undefined || ctx.phase.name === 'sealing');
  return {
    accepted: state.acceptances.has(party),
    committed: state.commitments.has(party),
    reported,
    sealed: state.seals.has(party),
  };
}
