import { describe, expect, it } from 'vitest';
import { generateIdentitySigner, seededRandom } from '#concord/crypto';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import {
  appendEntry,
  type EnvelopeBody,
  type PartyNumber,
  releaseDigest,
  type SessionResultsBody,
  type TranscriptBodies,
  type TranscriptEntry,
  type TranscriptEntryKind,
  verifySeal,
} from '#concord/transcript';
import { runSessionInProcess } from './in-process-run.js';
import { publishedOutputs, releaseDigestOf, releaseDigestOfVectors } from './published-release.js';
import { outputDecimals } from './session-result.js';
import { sealTranscript } from './transcript-check.js';

const rng = seededRandom('seal-spec');
const identities = [0, 1, 2].map(() => generateIdentitySigner(rng));
const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
const plan = compileSessionPlan(entry.analysis, {
  sessionId: 'seal-session',
  parameters: { serviceDate: '2026-03-10' },
  axisValues: { route: ['R1'] },
  budget: '1/2',
  parties: { transit: 1, payments: 2, planning: 3 },
});
const zero = plan.outputs.map((o) => new Array<bigint>(o.length).fill(0n));
/** Every envelope as the coordinator relayed it (in relay order), as its transcript records it. */
const relayed: EnvelopeBody[] = [];
const run = runSessionInProcess(
  plan,
  [
    {
      identity: identities[0],
      inputs: new Map([['boardings', new Array<number>(24).fill(3)]]),
      noise: zero,
      rng: seededRandom('a'),
    },
    {
      identity: identities[1],
      inputs: new Map([['revenue', new Array<number>(24).fill(500)]]),
      noise: zero,
      rng: seededRandom('b'),
    },
    { identity: identities[2], inputs: new Map(), noise: zero, rng: seededRandom('c') },
  ],
  {
    relay: (e) => {
      const { round, from, to, chunk, chunks } = e.header;
      relayed.push({
        round,
        from: from as PartyNumber,
        to: to as PartyNumber,
        chunk,
        chunks,
        bytes: e.bytes.byteLength,
        digest: e.digest,
      });
      return e.bytes;
    },
  },
);
const result = run.results[0];
const published = publishedOutputs(plan, result.outputs.map(outputDecimals));

/** The transcript an honest coordinator records for this run. */
function honestTranscript(): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  const push = <K extends TranscriptEntryKind>(kind: K, body: TranscriptBodies[K]): void => {
    out.push(
      appendEntry(
        plan.sessionId,
        out.at(-1),
        kind,
        body,
        new Date(1_764_000_000_000 + out.length),
      ) as TranscriptEntry,
    );
  };
  const [s1] = run.sessions;
  push('session.created', {
    protocol: plan.protocol,
    planHash: s1.planHash,
    parameters: plan.parameters,
    budget: plan.budget,
    requestId: 'seal-request',
    requestedBy: 'alice',
    ledger: {
      scope: plan.privacyUnit.scope,
      window: plan.privacyUnit.window,
      rho: plan.budget.rho,
      xi: plan.budget.xi,
    },
  });
  for (const a of s1.acceptedBy.values())
    push('party.accepted', {
      party: a.party,
      agency: `agency-${a.party}`,
      sessionKey: a.sessionKey,
      signature: a.signature,
    });
  for (const s of run.sessions)
    push('noise.committed', { party: s.self, commitments: s.commitment!.commitments });
  for (const body of relayed) push('envelope', body);
  for (const s of run.sessions)
    push('party.result', { party: s.self, resultDigest: s.result!.digest });
  push('session.results', {
    resultDigest: result.digest,
    releaseDigest: releaseDigest(plan.sessionId, published),
    outputs: published.map((o, i) => ({
      name: o.name,
      cells: plan.outputs[i].length,
      intervalHalfWidth: o.intervalHalfWidth,
    })),
  });
  return out;
}

/** An entry's kind and body as a test edits them (bodies may go off their schema). */
interface LooseEntry {
  readonly kind: TranscriptEntry['kind'];
  readonly at: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Re-chains edited entries, so only the semantic checks can catch the edit. */
function rechain(entries: readonly LooseEntry[]): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const x of entries)
    out.push(
      appendEntry(plan.sessionId, out.at(-1), x.kind, { ...x.body } as never, new Date(x.at)),
    );
  return out;
}

/** The honest transcript with the release entry's body edited (and the chain rebuilt). */
function withRelease(edit: (body: SessionResultsBody) => unknown): TranscriptEntry[] {
  return rechain(
    (honestTranscript() as unknown as LooseEntry[]).map((x) =>
      x.kind === 'session.results'
        ? { ...x, body: edit(x.body as unknown as SessionResultsBody) as LooseEntry['body'] }
        : x,
    ),
  );
}

describe('sealing the transcript', () => {
  it('signs the head of a transcript that matches the party’s own view', () => {
    const entries = honestTranscript();
    for (const p of [0, 1, 2]) {
      const seal = sealTranscript(run.sessions[p], entries, identities[p]);
      expect(seal.headHash).toBe(entries.at(-1)!.hash);
      expect(
        verifySeal(identities[p].publicKey, plan.sessionId, seal.headHash, seal.signature),
      ).toBe(true);
    }
  });

  it.each([
    [
      'a dropped envelope',
      (e: LooseEntry[]) => e.filter((x, i) => !(x.kind === 'envelope' && i === 8)),
      /envelopes to and from this party differ/,
    ],
    [
      'data before a noise commitment',
      (e: LooseEntry[]) => [...e.slice(0, 6), e[7], e[6], ...e.slice(8)],
      /noise commitments do not all precede the first data envelope/,
    ],
    [
      'a swapped result digest',
      (e: LooseEntry[]) =>
        e.map((x) =>
          x.kind === 'session.results'
            ? { ...x, body: { ...x.body, resultDigest: '00'.repeat(32) } }
            : x,
        ),
      /released results differ from the opened ones/,
    ],
  ])('refuses a transcript with %s', (_, mutate, why) => {
    const mutated = rechain(mutate(honestTranscript() as unknown as LooseEntry[]));
    const seal = (): unknown => sealTranscript(run.sessions[0], mutated, identities[0]);
    expect(seal).toThrow(expect.objectContaining({ code: 'transcript-mismatch' }));
    expect(seal).toThrow(why);
  });

  it('refuses a release digest that is not that of the values it opened', () => {
    // The digest of a release whose first value is one more than the opened one.
    const [first, ...rest] = published;
    const [head, ...tail] = first.values.split(',');
    const altered = [{ ...first, values: [String(Number(head) + 1), ...tail].join(',') }, ...rest];
    const entries = withRelease((b) => ({
      ...b,
      releaseDigest: releaseDigest(plan.sessionId, altered),
    }));
    for (const p of [0, 1, 2]) {
      const seal = (): unknown => sealTranscript(run.sessions[p], entries, identities[p]);
      expect(seal).toThrow(expect.objectContaining({ code: 'transcript-mismatch' }));
      expect(seal).toThrow(/release digest is not that of the values this party opened/);
    }
  });

  it('signs a version 2 release, over the limbs it opened, and refuses one that names the wrong version', () => {
    const v2 = releaseDigestOf(plan, result, 2);
    const entries = withRelease((b) => ({ ...b, releaseDigest: v2, releaseDigestVersion: 2 }));
    for (const p of [0, 1, 2]) {
      expect(sealTranscript(run.sessions[p], entries, identities[p]).headHash).toBe(
        entries.at(-1)!.hash,
      );
    }
    for (const mislabelled of [
      withRelease((b) => ({ ...b, releaseDigestVersion: 2 })), // the text's digest called v2
      withRelease((b) => ({ ...b, releaseDigest: v2 })), // the limbs' digest called v1
    ]) {
      expect(() => sealTranscript(run.sessions[1], mislabelled, identities[1])).toThrow(
        /release digest is not that of the values this party opened/,
      );
    }
  });

  it('refuses a version 2 release digest over other limbs', () => {
    const vectors = result.outputs.map((o) => o.vector);
    const changed = { ...vectors[0], data: vectors[0].data.slice() };
    changed.data[0] = changed.data[0] === 0 ? 1 : 0;
    const entries = withRelease((b) => ({
      ...b,
      releaseDigest: releaseDigestOfVectors(plan, [changed, ...vectors.slice(1)]),
      releaseDigestVersion: 2,
    }));
    expect(() => sealTranscript(run.sessions[0], entries, identities[0])).toThrow(
      /release digest is not that of the values this party opened/,
    );
  });

  it('refuses a release digest over another interval or unit', () => {
    for (const change of [
      { intervalHalfWidth: '1' },
      { confidenceLevel: '0.5' },
      { unit: 'dollars' },
    ]) {
      const entries = withRelease((b) => ({
        ...b,
        releaseDigest: releaseDigest(
          plan.sessionId,
          published.map((o, i) => (i === 1 ? { ...o, ...change } : o)),
        ),
      }));
      expect(() => sealTranscript(run.sessions[2], entries, identities[2])).toThrow(
        /release digest is not that of the values this party opened/,
      );
    }
  });

  it('refuses a release that lists a narrowed interval', () => {
    const entries = withRelease((b) => ({
      ...b,
      outputs: b.outputs.map((o) => ({ ...o, intervalHalfWidth: '1' })),
    }));
    expect(() => sealTranscript(run.sessions[0], entries, identities[0])).toThrow(
      /does not list the plan’s outputs with their cells and intervals/,
    );
  });

  it('refuses a malformed entry, naming it, before reading any body', () => {
    const entries = withRelease(({ releaseDigest: _, ...rest }) => rest);
    const seal = (): unknown => sealTranscript(run.sessions[0], entries, identities[0]);
    expect(seal).toThrow(expect.objectContaining({ code: 'transcript-mismatch' }));
    expect(seal).toThrow(
      `transcript refused: entry ${entries.length - 1} (seq ${entries.length - 1}, session.results): body.releaseDigest is missing`,
    );
  });

  it('refuses a broken chain', () => {
    const entries = honestTranscript();
    entries[3] = {
      ...entries[3],
      body: { ...entries[3].body, party: 9 },
    } as unknown as TranscriptEntry;
    expect(() => sealTranscript(run.sessions[1], entries, identities[1])).toThrow(/entry 3/);
  });
});
