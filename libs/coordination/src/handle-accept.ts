import { type SessionAcceptance, verifyAcceptance } from '#concord/engine';
import type { SessionEvent } from './events.js';
import * as to from './node-messages.js';
import type { SessionContext } from './session-context.js';
import { engineOf, partyKey } from './session-state.js';

type Accept = Extract<SessionEvent, { type: 'accept' }>;
type Decline = Extract<SessionEvent, { type: 'decline' }>;

/**
 * A party's signed acceptance. Recorded once (a repeat of the same acceptance after a reconnection
 * is a no-op, a different one is equivocation); the third moves the session to `committing` and
 * sends every party the three signed session keys.
 */
export function accept(ctx: SessionContext, event: Accept): void {
  const { party, acceptance: a } = event;
  const phase = ctx.phase;
  if (phase.name === 'aborting') return;
  if (phase.name === 'waiting') {
    return ctx.refuse(party, 'out-of-turn', 'an acceptance before the invitation');
  }
  const engine = engineOf(phase)!;
  const recorded = ctx.state.acceptances.get(party);
  if (recorded) {
    if (!sameAcceptance(recorded, a))
      ctx.refuse(party, 'equivocation', 'a second, different acceptance');
    return;
  }
  if (phase.name !== 'inviting') {
    return ctx.refuse(party, 'out-of-turn', 'an acceptance after the keys were exchanged');
  }
  if (a.party !== party) {
    return ctx.refuse(party, 'wrong-party', `an acceptance for party ${a.party}`);
  }
  if ((engine === 'jiff') !== (a.jiffKey !== undefined)) {
    return ctx.refuse(
      party,
      'wrong-engine',
      engine === 'jiff'
        ? 'a JIFF-mode acceptance must sign the party’s JIFF key'
        : 'a native acceptance carries no JIFF key',
    );
  }
  const pinned = ctx.parties.get(party);
  // The key must be valid when the acceptance is recorded: the `at` of its transcript entry,
  // which is the time auditors check it at (docs/security.md, key rotation).
  const key = partyKey(ctx.parties, party, a.keyEpoch ?? 0, ctx.now);
  if (pinned && !key.ok) {
    return ctx.refuse(party, 'key-not-valid', key.refusal.message);
  }
  if (
    !pinned ||
    !key.ok ||
    a.sessionId !== ctx.id ||
    a.planHash !== ctx.record.planHash ||
    !verifyAcceptance(key.key.publicKey, a)
  ) {
    return ctx.refuse(
      party,
      'bad-signature',
      'the acceptance is not signed by this agency for this session and plan',
    );
  }
  ctx.state.acceptances.set(party, a);
  ctx.append('party.accepted', {
    party,
    agency: pinned.agencyId,
    sessionKey: a.sessionKey,
    ...(a.jiffKey === undefined ? {} : { jiffKey: a.jiffKey }),
    ...(a.keyEpoch === undefined ? {} : { keyEpoch: a.keyEpoch }),
    signature: a.signature,
  });
  if (ctx.state.acceptances.size < 3) return ctx.commit();
  ctx.enter({ name: 'committing', engine });
  const ordered = [1, 2, 3].map((p) => ctx.state.acceptances.get(p as 1 | 2 | 3)!);
  ctx.sendAll(to.sessionKeys(ctx.id, ordered));
}

/** A party declined the invitation: the session ends once the other parties had a moment to say why too. */
export function decline(ctx: SessionContext, event: Decline): void {
  const phase = ctx.phase;
  if (phase.name !== 'inviting' && phase.name !== 'aborting') {
    return ctx.refuse(event.party, 'out-of-turn', 'a decline outside the invitation');
  }
  if (ctx.state.reports.some((r) => r.party === event.party)) return;
  const report = {
    party: event.party,
    code: event.code,
    message: event.message,
    suspects: [],
  };
  ctx.state.reports.push(report);
  ctx.append('party.aborted', report);
  ctx.commit();
  if (phase.name === 'inviting') {
    ctx.state.phase = {
      name: 'aborting',
      until: ctx.now + ctx.rules.reportGraceMs,
      code: 'declined',
      by: event.party,
    };
  }
}

function sameAcceptance(a: SessionAcceptance, b: SessionAcceptance): boolean {
  return (
    a.party === b.party &&
    a.sessionId === b.sessionId &&
    a.planHash === b.planHash &&
    a.sessionKey === b.sessionKey &&
    a.jiffKey === b.jiffKey &&
    a.keyEpoch === b.keyEpoch &&
    a.signature === b.signature
  );
}
