import type { SessionPlan } from '#concord/protocol';
import { entriesOf, type TranscriptEntry } from '#concord/transcript';
import type { CheckList } from './audit-report.js';

interface Step {
  readonly round: 'join-1' | 'join-2';
  readonly from: number;
  readonly to: number;
  readonly what: string;
}

/**
 * A join plan's private join, from the relay records (digests and sizes only: the lists
 * themselves never reach the transcript). Exactly the join's four streams, each complete; every
 * party's join messages in protocol order: a holder answers (join-2) only after the other
 * holder's single-blinded list reached it, the matcher shares its input only after both
 * double-blinded lists, and each holder only after its own join-2; and every join envelope after
 * the three noise commitments.
 */
export function checkJoin(
  entries: readonly TranscriptEntry[],
  plan: SessionPlan,
  complete: boolean,
  checks: CheckList,
): void {
  const join = plan.join;
  if (!join) return;
  const t = join.tapHolder.party;
  const e = join.enrolmentHolder.party;
  const m = join.matcher.party;
  const steps: Step[] = [
    { round: 'join-1', from: e, to: t, what: 'the enrolment list, blinded once' },
    { round: 'join-1', from: t, to: e, what: 'the card list, blinded once' },
    { round: 'join-2', from: t, to: m, what: 'the enrolment list, blinded twice' },
    { round: 'join-2', from: e, to: m, what: 'the card list, blinded twice' },
  ];
  const envelopes = entriesOf(entries, 'envelope');
  const of = (round: string, from: number, to: number): TranscriptEntry<'envelope'>[] =>
    envelopes.filter((x) => x.body.round === round && x.body.from === from && x.body.to === to);
  /** The seq at which a stream is complete (all its chunks recorded), if it is. */
  const completeAt = (s: Step): number | undefined => {
    const chunks = of(s.round, s.from, s.to);
    if (chunks.length === 0 || chunks.length !== chunks[0].body.chunks) return undefined;
    return Math.max(...chunks.map((x) => x.seq));
  };
  const firstOf = (round: string, from: number, to?: number): number | undefined =>
    envelopes.find(
      (x) =>
        x.body.round === round && x.body.from === from && (to === undefined || x.body.to === to),
    )?.seq;

  const stray = envelopes.find(
    (x) =>
      x.body.round.startsWith('join-') &&
      !steps.some((s) => s.round === x.body.round && s.from === x.body.from && s.to === x.body.to),
  );
  const missing = complete ? steps.find((s) => completeAt(s) === undefined) : undefined;
  const lastCommit = Math.max(
    ...entries.filter((x) => x.kind === 'noise.committed').map((x) => x.seq),
  );
  const early = envelopes.find((x) => x.body.round.startsWith('join-') && x.seq < lastCommit);
  const before = (later: number | undefined, earlier: number | undefined): boolean =>
    later !== undefined && (earlier === undefined || later < earlier);
  const order: [string, number | undefined, number | undefined][] = [
    [
      `party ${t} answered before the enrolment list reached it`,
      firstOf('join-2', t),
      completeAt(steps[0]),
    ],
    [
      `party ${e} answered before the card list reached it`,
      firstOf('join-2', e),
      completeAt(steps[1]),
    ],
    [
      `the matcher (party ${m}) shared its input before both double-blinded lists reached it`,
      firstOf('input', m),
      Math.max(completeAt(steps[2]) ?? Infinity, completeAt(steps[3]) ?? Infinity),
    ],
    [
      `party ${t} shared its input before its join answer`,
      firstOf('input', t),
      completeAt(steps[2]),
    ],
    [
      `party ${e} shared its input before its join answer`,
      firstOf('input', e),
      completeAt(steps[3]),
    ],
  ];
  const outOfOrder = order.find(([, later, earlier]) =>
    before(later, earlier === Infinity ? undefined : earlier),
  );
  checks.add(
    'private join',
    stray
      ? `entry ${stray.seq} relays ${stray.body.round} from party ${stray.body.from} to party ${stray.body.to}, which the join never sends`
      : missing
        ? `the transcript lacks ${missing.what} (${missing.round}, party ${missing.from} to party ${missing.to})`
        : early
          ? `a join envelope (entry ${early.seq}) precedes the third noise commitment`
          : outOfOrder?.[0],
    `the join's four lists were relayed in order (party ${e} and party ${t} exchanged singly blinded lists, party ${m} received both doubly blinded lists before sharing), after the three noise commitments; the transcript holds their digests, never their contents`,
    stray?.seq ?? early?.seq,
  );
}
