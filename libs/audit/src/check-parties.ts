import { type SessionAcceptance, verifyAcceptance } from '#concord/engine';
import { entriesOf, type TranscriptEntry } from '#concord/transcript';
import type { CheckList } from './audit-report.js';

/**
 * The parties' acceptances and noise commitments, for a completed session (all three of each) or
 * an aborted one (those present, which must still be valid and in order). `jiff` is whether the
 * session ran in JIFF mode: a JIFF-mode party signs a JIFF key, a native one none; undefined when
 * the transcript does not tell (an abort before the JIFF computation started), then the
 * acceptances need only agree with each other.
 */
export function checkParties(
  entries: readonly TranscriptEntry[],
  context: {
    readonly sessionId: string;
    readonly planHash: string;
    readonly pinned: ReadonlyMap<number, Uint8Array>;
    readonly jiff: boolean | undefined;
    readonly complete: boolean;
  },
  checks: CheckList,
): void {
  const { complete } = context;
  const accepted = entriesOf(entries, 'party.accepted');
  const seen = new Set<number>();
  const twice = accepted.find((e) => seen.size === seen.add(e.body.party).size);
  const withJiffKey = accepted.filter((e) => e.body.jiffKey !== undefined).length;
  const mixed =
    context.jiff === undefined
      ? withJiffKey !== 0 && withJiffKey !== accepted.length
      : withJiffKey !== (context.jiff ? accepted.length : 0);
  const forged = accepted.find((e) => {
    const key = context.pinned.get(e.body.party);
    const a: SessionAcceptance = {
      sessionId: context.sessionId,
      party: e.body.party,
      planHash: context.planHash,
      sessionKey: e.body.sessionKey,
      ...(e.body.jiffKey === undefined ? {} : { jiffKey: e.body.jiffKey }),
      ...(e.body.keyEpoch === undefined ? {} : { keyEpoch: e.body.keyEpoch }),
      signature: e.body.signature,
    };
    return !key || !verifyAcceptance(key, a);
  });
  checks.add(
    'session keys',
    twice
      ? `party ${twice.body.party} accepted twice`
      : forged
        ? `party ${forged.body.party}'s session key is not signed by its pinned identity key for this plan`
        : mixed
          ? 'the acceptances do not all sign a JIFF key in JIFF mode and none in native mode'
          : complete && accepted.length !== 3
            ? `${accepted.length} of the three parties accepted`
            : undefined,
    complete
      ? 'three session keys signed by the pinned identity keys'
      : accepted.length === 0
        ? 'no party accepted'
        : `${accepted.length === 3 ? 'all three parties' : `${accepted.length} of the three parties`} accepted, each with a session key signed by its pinned identity key`,
    twice?.seq ?? forged?.seq ?? (mixed ? accepted[0]?.seq : undefined),
  );

  const commits = entriesOf(entries, 'noise.committed');
  const committed = new Set<number>();
  const again = commits.find((c) => committed.size === committed.add(c.body.party).size);
  const thirdAcceptance = accepted.length === 3 ? accepted[2].seq : undefined;
  const early = commits.find((c) => thirdAcceptance === undefined || c.seq < thirdAcceptance);
  const misaddressed = commits.find(
    (c) =>
      Object.keys(c.body.commitments).sort().join() !==
      [1, 2, 3]
        .filter((p) => p !== c.body.party)
        .map(String)
        .join(),
  );
  const firstData = entries.find(
    (e) =>
      e.kind === 'jiff.started' ||
      (e.kind === 'envelope' && (e.body.round === 'input' || e.body.round.startsWith('join-'))),
  );
  const dataBeforeAll =
    firstData && (commits.length < 3 || commits.some((c) => c.seq > firstData.seq));
  const late = dataBeforeAll
    ? (commits.find((c) => c.seq > firstData.seq) ?? firstData)
    : undefined;
  const dataName =
    firstData?.kind === 'jiff.started'
      ? 'the start of the JIFF computation'
      : 'the first data envelope';
  checks.add(
    'noise before data',
    again
      ? `party ${again.body.party} committed to its noise twice`
      : early
        ? `party ${early.body.party}'s noise commitment precedes the three acceptances`
        : misaddressed
          ? `party ${misaddressed.body.party}'s noise commitment is not addressed to the two other parties`
          : late
            ? late === firstData
              ? `${dataName} (entry ${firstData.seq}) precedes the third noise commitment`
              : `a noise commitment (entry ${late.seq}) follows ${dataName}`
            : complete && commits.length !== 3
              ? `${commits.length} of the three parties committed to their noise`
              : undefined,
    complete || commits.length === 3
      ? `all three noise commitments follow the acceptances and precede ${firstData ? dataName : 'any data'}`
      : commits.length === 0
        ? 'no party committed to its noise'
        : `${commits.length} of the three parties committed to their noise, after the acceptances and before any data`,
    again?.seq ?? early?.seq ?? misaddressed?.seq ?? late?.seq,
  );
}
