import { describe, expect, it } from 'vitest';
import type { SessionPlan } from '#concord/protocol';
import type { TranscriptEntry } from '#concord/transcript';
import { CheckList } from './audit-report.js';
import { checkJoin } from './check-join.js';

/** Only what `checkJoin` reads of a plan: the join's roles (transit 1, payments 2, planning 3). */
const plan = {
  join: {
    axis: 'card',
    capacity: 8,
    tapHolder: { party: 2, connector: 'card-tokens' },
    enrolmentHolder: { party: 3, connector: 'reduced-fare-enrolment' },
    matcher: { party: 1, input: 'enrolled' },
  },
} as unknown as SessionPlan;

type Step = [kind: 'commit'] | [round: string, from: number, to: number];

/** A transcript of the given steps in order (hashes and times are not what this check reads). */
function transcript(steps: readonly Step[]): TranscriptEntry[] {
  return steps.map((s, seq) => {
    const base = { seq, at: '', prevHash: '', hash: '' };
    if (s[0] === 'commit')
      return { ...base, kind: 'noise.committed', body: { party: 1, commitments: {} } };
    const [round, from, to] = s as [string, number, number];
    return {
      ...base,
      kind: 'envelope',
      body: { round, from, to, chunk: 0, chunks: 1, bytes: 100, digest: 'd'.repeat(64) },
    };
  }) as unknown as TranscriptEntry[];
}

const commits: Step[] = [['commit'], ['commit'], ['commit']];
const inOrder: Step[] = [
  ...commits,
  ['join-1', 3, 2],
  ['join-1', 2, 3],
  ['join-2', 2, 1],
  ['input', 2, 1],
  ['input', 2, 3],
  ['join-2', 3, 1],
  ['input', 3, 1],
  ['input', 3, 2],
  ['input', 1, 2],
  ['input', 1, 3],
];

function verdict(steps: readonly Step[], complete = true): { ok: boolean; detail: string } {
  const checks = new CheckList();
  checkJoin(transcript(steps), plan, complete, checks);
  const [check] = checks.checks;
  expect(check.name).toBe('private join');
  return check;
}

describe('the audit of a join plan’s private join', () => {
  it('passes the four join streams in protocol order', () => {
    expect(verdict(inOrder).ok).toBe(true);
  });

  it('fails a matcher that shared before both double-blinded lists reached it', () => {
    const early: Step[] = [...inOrder.slice(0, 6), ['input', 1, 2], ...inOrder.slice(6)];
    expect(verdict(early).detail).toMatch(/the matcher \(party 1\) shared its input before/);
  });

  it('fails a holder that answered before the other holder’s list reached it', () => {
    const swapped: Step[] = [...commits, ['join-1', 2, 3], ['join-2', 2, 1], ['join-1', 3, 2]];
    expect(verdict(swapped, false).detail).toMatch(/party 2 answered before/);
  });

  it('fails a join list relayed to a party the join never sends it to', () => {
    expect(verdict([...inOrder, ['join-1', 3, 1]]).detail).toMatch(/which the join never sends/);
  });

  it('fails a completed session missing a stream, and a join list before the commitments', () => {
    expect(verdict(inOrder.filter((s) => !(s[0] === 'join-2' && s[1] === 3))).detail).toMatch(
      /lacks the card list, blinded twice/,
    );
    expect(verdict([['join-1', 3, 2], ...commits], false).detail).toMatch(
      /precedes the third noise commitment/,
    );
  });
});
