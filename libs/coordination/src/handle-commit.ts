import { fieldById, jiffPrimeFor } from '#concord/field';
import { JIFF_SOCKET_PATH } from '#concord/wire';
import type { SessionEvent } from './events.js';
import * as to from './node-messages.js';
import type { SessionContext } from './session-context.js';
import { engineOf, PARTIES } from './session-state.js';

type Commit = Extract<SessionEvent, { type: 'commit' }>;

/**
 * A party's noise commitments, one per receiver. The third is written before the go-ahead leaves
 * (from that write on the data phase has begun and nothing is refunded); in JIFF mode the start of
 * the JIFF computation is written with it and the computation registered before the go-ahead.
 */
export function commit(ctx: SessionContext, event: Commit): void {
  const { party, commitments } = event;
  const phase = ctx.phase;
  if (phase.name === 'aborting') return;
  if (event.claimedParty !== party) {
    return ctx.refuse(party, 'wrong-party', `a commitment for party ${event.claimedParty}`);
  }
  const recorded = ctx.state.commitments.get(party);
  if (recorded) {
    if (canonical(recorded) !== canonical(commitments))
      ctx.refuse(party, 'equivocation', 'a second, different noise commitment');
    return;
  }
  if (phase.name !== 'committing') {
    return ctx.refuse(party, 'out-of-turn', 'a noise commitment outside the commitment round');
  }
  const others = PARTIES.filter((p) => p !== party).map(String);
  if (Object.keys(commitments).sort().join() !== others.join()) {
    return ctx.refuse(
      party,
      'bad-commitment',
      'noise commitments must be addressed to exactly the two other parties',
    );
  }
  ctx.state.commitments.set(party, commitments);
  ctx.append('noise.committed', { party, commitments });
  const first = ctx.state.commitments.size === 1;
  if (ctx.state.commitments.size < 3) {
    ctx.commit();
    if (first) ctx.milestone('commitment-recorded');
    return;
  }
  const engine = engineOf(phase)!;
  if (engine === 'jiff') {
    ctx.append('jiff.started', {
      computationId: ctx.id,
      prime: jiffPrimeFor(fieldById(ctx.record.plan.field).modulus).toString(),
      partyCount: PARTIES.length,
      path: JIFF_SOCKET_PATH,
    });
  }
  ctx.enter({ name: 'computing', engine });
  ctx.commit();
  if (first) ctx.milestone('commitment-recorded');
  if (engine === 'jiff') ctx.emit({ type: 'register-jiff', expiresAt: ctx.state.deadline });
  ctx.sendAll(to.goAhead(ctx.id, ctx.state.commitments));
}

function canonical(c: Readonly<Record<string, string>>): string {
  return Object.keys(c)
    .sort()
    .map((k) => `${k}:${c[k]}`)
    .join(',');
}
