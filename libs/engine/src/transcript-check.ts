import type { IdentityKeyPair } from '#concord/crypto';
import { signSeal, type TranscriptEntry, verifyChain } from '#concord/transcript';
import { EngineError } from './engine-error.js';
import type { EnvelopeRecord, PartySession } from './party-session.js';

/** A party's seal: its signature over the transcript head it verified. */
export interface TranscriptSeal {
  readonly headHash: string;
  readonly signature: string;
}

/**
 * Before signing, a party checks the coordinator's transcript against its own view: the chain
 * is intact; it names this plan; every acceptance and commitment is the one the party saw; all
 * three commitments precede the first input envelope; the envelopes to and from this party are
 * exactly those it sent and received; and every reported result digest equals its own.
 */
export function sealTranscript(
  session: PartySession,
  entries: readonly TranscriptEntry[],
  identity: IdentityKeyPair,
): TranscriptSeal {
  const fail = (why: string): never => {
    throw new EngineError('transcript-mismatch', `transcript refused: ${why}`);
  };
  const problem = verifyChain(session.sessionId, entries);
  if (problem) fail(`entry ${problem.seq} ${problem.reason}`);
  const result = session.result ?? fail('the session has no result to seal');
  if (entries[0]?.kind !== 'session.created' || entries[0].body.planHash !== session.planHash) {
    fail('it does not open with this session’s plan');
  }

  if (entries.filter((x) => x.kind === 'party.accepted').length !== 3)
    fail('it does not hold exactly three acceptances');
  for (const [party, a] of session.acceptedBy) {
    const e = entries.find((x) => x.kind === 'party.accepted' && x.body.party === party);
    if (!e || e.body.sessionKey !== a.sessionKey || e.body.signature !== a.signature)
      fail(`party ${party}'s acceptance differs`);
  }

  const commits = entries.filter((x) => x.kind === 'noise.committed');
  const firstInput = entries.findIndex((x) => x.kind === 'envelope' && x.body.round === 'input');
  if (
    commits.length !== 3 ||
    commits.some((c) => firstInput >= 0 && c.seq > entries[firstInput].seq)
  ) {
    fail('the three noise commitments do not all precede the input round');
  }
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

  const head = entries[entries.length - 1].hash;
  return {
    headHash: head,
    signature: Buffer.from(signSeal(identity.secretKey, session.sessionId, head)).toString('hex'),
  };
}
