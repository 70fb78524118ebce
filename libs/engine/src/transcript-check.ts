import type { IdentitySigner } from '#concord/crypto';
import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import {
  entriesOf,
  parseTranscriptEntries,
  signSeal,
  type TranscriptEntry,
  TranscriptError,
  verifyChain,
} from '#concord/transcript';
import type { SessionAcceptance } from './acceptance.js';
import { EngineError } from './engine-error.js';
import type { EnvelopeRecord, NoiseCommitment, PartySession } from './party-session.js';
import { releaseDigestOf } from './published-release.js';
import type { SessionResult } from './session-result.js';

/** A party's seal: its signature over the transcript head it verified. */
export interface TranscriptSeal {
  readonly headHash: string;
  readonly signature: string;
}

/** What one party relayed through the JIFF endpoint in one direction, as it counted it. */
export interface JiffRelaySummary {
  readonly messages: number;
  /** `relaySetDigest` of the messages' relay digests. */
  readonly digest: string;
}

/**
 * A JIFF-mode party's own view of its session (the agency node's JIFF engine): everything before
 * the data rounds is as in native mode; the data rounds ran through the stock JIFF client, so
 * instead of envelopes the party knows what it sent to and received from each peer.
 */
export interface JiffSessionView {
  readonly engine: 'jiff';
  readonly sessionId: string;
  readonly planHash: string;
  /** The plan this party agreed to: sealing recomputes the published release from it. */
  readonly plan: SessionPlan;
  readonly self: PartyIndex;
  /** The prime the JIFF computation ran modulo (decimal). */
  readonly prime: string;
  readonly result: SessionResult | undefined;
  readonly acceptedBy: ReadonlyMap<PartyIndex, SessionAcceptance>;
  readonly commitment: NoiseCommitment | undefined;
  readonly receivedCommitments: ReadonlyMap<PartyIndex, string>;
  /** Keyed `${from}>${to}`: the directions this party sent (from = self) or received (to = self). */
  readonly relay: ReadonlyMap<string, JiffRelaySummary>;
}

type Fail = (why: string) => never;

/**
 * Before signing, a party checks the coordinator's transcript against its own view: every entry
 * has its kind's shape; the chain is intact; it names this plan; every acceptance and commitment is the one the party saw; all
 * three commitments precede the first data (the first input envelope or, in a join plan, join list; in JIFF mode, the start of
 * the JIFF computation, before which the endpoint relays nothing for the session); the traffic to
 * and from this party is exactly what it sent and received (envelopes by digest; in JIFF mode the
 * count and set digest of the relayed messages per direction); every reported result digest
 * equals its own; and the release digest is the one of the values it opened with the plan's units
 * and intervals, so its seal covers the published numbers and not only the opened field vectors.
 */
export function sealTranscript(
  session: PartySession | JiffSessionView,
  entries: readonly TranscriptEntry[],
  identity: IdentitySigner,
): TranscriptSeal {
  const fail: Fail = (why: string): never => {
    throw new EngineError('transcript-mismatch', `transcript refused: ${why}`);
  };
  // The entries came over the wire from the coordinator: their shape is checked before anything
  // reads a body, so a malformed one is a refusal, not a TypeError.
  try {
    parseTranscriptEntries(entries);
  } catch (e) {
    if (e instanceof TranscriptError) fail(e.message);
    throw e;
  }
  const problem = verifyChain(session.sessionId, entries);
  if (problem) fail(`entry ${problem.seq} ${problem.reason}`);
  const result = session.result ?? fail('the session has no result to seal');
  if (entries[0]?.kind !== 'session.created' || entries[0].body.planHash !== session.planHash) {
    fail('it does not open with this session’s plan');
  }

  const accepted = entriesOf(entries, 'party.accepted');
  if (accepted.length !== 3) fail('it does not hold exactly three acceptances');
  for (const [party, a] of session.acceptedBy) {
    const e = accepted.find((x) => x.body.party === party);
    if (
      !e ||
      e.body.sessionKey !== a.sessionKey ||
      e.body.signature !== a.signature ||
      e.body.jiffKey !== a.jiffKey
    )
      fail(`party ${party}'s acceptance differs`);
  }

  const commits = entries.filter((x) => x.kind === 'noise.committed');
  if ('engine' in session) checkJiffTraffic(session, entries, commits, fail);
  else checkEnvelopes(session, entries, commits, fail);
  const own = session.commitment;
  const ownEntry = commits.find((c) => c.body.party === session.self);
  if (!own || JSON.stringify(ownEntry?.body.commitments) !== JSON.stringify(own.commitments)) {
    fail('this party’s noise commitment was altered');
  }
  for (const [peer, value] of session.receivedCommitments) {
    const entry = commits.find((c) => c.body.party === peer);
    const recorded = (entry?.body.commitments as Record<string, unknown> | undefined)?.[
      String(session.self)
    ];
    if (recorded !== value) fail(`party ${peer}'s commitment differs from the one relayed`);
  }

  const reported = entries.filter((x) => x.kind === 'party.result');
  if (reported.length !== 3 || reported.some((x) => x.body.resultDigest !== result.digest)) {
    fail('not every party reported this party’s result');
  }
  const released = entries.filter((x) => x.kind === 'session.results');
  if (released.length !== 1 || released[0] !== entries.at(-1)) {
    fail('the transcript must end with one release of the results');
  }
  if (released[0].body.resultDigest !== result.digest)
    fail('the released results differ from the opened ones');
  checkRelease(session.plan, result, released[0].body, fail);

  const head = entries[entries.length - 1].hash;
  return {
    headHash: head,
    signature: Buffer.from(signSeal(identity, session.sessionId, head)).toString('hex'),
  };
}

/**
 * The release entry publishes what this party opened: its digest recomputed from the party's own
 * values and the plan, and its per-output summary (cells, interval) equal to the plan's.
 */
function checkRelease(
  plan: SessionPlan,
  result: SessionResult,
  body: TranscriptEntry<'session.results'>['body'],
  fail: Fail,
): void {
  if (body.releaseDigest !== releaseDigestOf(plan, result, body.releaseDigestVersion ?? 1))
    fail('the release digest is not that of the values this party opened');
  const summaries = body.outputs;
  if (
    summaries.length !== plan.outputs.length ||
    plan.outputs.some(
      (o, i) =>
        summaries[i].name !== o.name ||
        summaries[i].cells !== o.length ||
        summaries[i].intervalHalfWidth !== outputErrorBars(o).halfWidth.toString(),
    )
  )
    fail('the release does not list the plan’s outputs with their cells and intervals');
}

/** Native mode: commitments before the input round; this party's envelopes exactly as it saw them. */
function checkEnvelopes(
  session: PartySession,
  entries: readonly TranscriptEntry[],
  commits: readonly TranscriptEntry[],
  fail: Fail,
): void {
  // The first data envelope: a join plan's first join list, else the input round.
  const firstInput = entries.findIndex(
    (x) => x.kind === 'envelope' && (x.body.round === 'input' || x.body.round.startsWith('join-')),
  );
  if (
    commits.length !== 3 ||
    commits.some((c) => firstInput >= 0 && c.seq > entries[firstInput].seq)
  ) {
    fail('the three noise commitments do not all precede the first data envelope');
  }
  const key = (r: EnvelopeRecord): string => `${r.round}|${r.from}|${r.to}|${r.chunk}|${r.digest}`;
  const mine = new Set([...session.sent, ...session.received].map(key));
  const recorded = new Set(
    entries
      .filter(
        (x) =>
          x.kind === 'envelope' && (x.body.from === session.self || x.body.to === session.self),
      )
      .map((x) => key(x.body as unknown as EnvelopeRecord)),
  );
  if (mine.size !== recorded.size || [...mine].some((k) => !recorded.has(k))) {
    fail('the recorded envelopes to and from this party differ from those it sent and received');
  }
}

/**
 * JIFF mode: one start of the JIFF computation, on this session and prime, after all three
 * commitments; no native envelopes; one relay record per direction, and those to and from this
 * party equal to what it sent and received.
 */
function checkJiffTraffic(
  view: JiffSessionView,
  entries: readonly TranscriptEntry[],
  commits: readonly TranscriptEntry[],
  fail: Fail,
): void {
  const started = entries.filter((x) => x.kind === 'jiff.started');
  if (
    started.length !== 1 ||
    started[0].body.computationId !== view.sessionId ||
    started[0].body.prime !== view.prime
  ) {
    fail('it does not record one start of this session’s JIFF computation');
  }
  if (commits.length !== 3 || commits.some((c) => c.seq > started[0].seq)) {
    fail('the three noise commitments do not all precede the JIFF computation');
  }
  if (entries.some((x) => x.kind === 'envelope')) fail('a JIFF-mode session relays no envelopes');
  const relays = entries.filter((x) => x.kind === 'jiff.relay');
  const directions = relays.map((x) => `${String(x.body.from)}>${String(x.body.to)}`);
  if (
    relays.length !== 6 ||
    new Set(directions).size !== 6 ||
    relays.some((x) => x.seq < started[0].seq)
  ) {
    fail('it does not hold one JIFF relay record per direction');
  }
  for (const [direction, mine] of view.relay) {
    const recorded = relays[directions.indexOf(direction)];
    if (recorded?.body.messages !== mine.messages || recorded.body.digest !== mine.digest) {
      fail(`the JIFF messages relayed ${direction.replace('>', ' → ')} differ from this party's`);
    }
  }
  const own = [...view.relay.keys()];
  const expected = [1, 2, 3]
    .filter((p) => p !== view.self)
    .flatMap((p) => [`${view.self}>${p}`, `${p}>${view.self}`]);
  if (own.length !== 4 || expected.some((d) => !own.includes(d))) {
    fail('this party has no complete record of its own JIFF traffic');
  }
}
