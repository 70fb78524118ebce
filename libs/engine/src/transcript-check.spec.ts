import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair, seededRandom } from '#concord/crypto';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import {
  appendEntry,
  type TranscriptEntry,
  type TranscriptEntryKind,
  verifySeal,
} from '#concord/transcript';
import { runSessionInProcess } from './in-process-run.js';
import { sealTranscript } from './transcript-check.js';

const rng = seededRandom('seal-spec');
const identities = [0, 1, 2].map(() => generateIdentityKeyPair(rng));
const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
const plan = compileSessionPlan(entry.analysis, {
  sessionId: 'seal-session',
  parameters: { serviceDate: '2026-03-10' },
  axisValues: { route: ['R1'] },
  budget: '1/2',
  parties: { transit: 1, payments: 2, planning: 3 },
});
const zero = plan.outputs.map((o) => new Array<bigint>(o.length).fill(0n));
const run = runSessionInProcess(plan, [
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
]);

/** The transcript an honest coordinator records for this run. */
function honestTranscript(): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  const push = (kind: TranscriptEntryKind, body: Record<string, unknown>): void => {
    out.push(
      appendEntry(
        plan.sessionId,
        out.at(-1),
        kind,
        body as never,
        new Date(1_764_000_000_000 + out.length),
      ),
    );
  };
  const [s1] = run.sessions;
  push('session.created', { planHash: s1.planHash });
  for (const a of s1.acceptedBy.values())
    push('party.accepted', { party: a.party, sessionKey: a.sessionKey, signature: a.signature });
  for (const s of run.sessions)
    push('noise.committed', { party: s.self, commitments: s.commitment!.commitments });
  // Every envelope once: each session's sent log, in a plausible relay order.
  for (const round of ['input', 'open']) {
    for (const s of run.sessions)
      for (const r of s.sent.filter((x) => x.round === round)) push('envelope', { ...r });
  }
  for (const s of run.sessions)
    push('party.result', { party: s.self, resultDigest: s.result!.digest });
  push('session.results', { resultDigest: run.results[0].digest });
  return out;
}

describe('sealing the transcript', () => {
  it('signs the head of a transcript that matches the party’s own view', () => {
    const entries = honestTranscript();
    const seal = sealTranscript(run.sessions[0], entries, identities[0]);
    expect(seal.headHash).toBe(entries.at(-1)!.hash);
    expect(verifySeal(identities[0].publicKey, plan.sessionId, seal.headHash, seal.signature)).toBe(
      true,
    );
  });

  it.each([
    [
      'a dropped envelope',
      (e: TranscriptEntry[]) => e.filter((x, i) => !(x.kind === 'envelope' && i === 8)),
    ],
    [
      'data before a noise commitment',
      (e: TranscriptEntry[]) => [...e.slice(0, 6), e[7], e[6], ...e.slice(8)],
    ],
    [
      'a swapped result digest',
      (e: TranscriptEntry[]) =>
        e.map((x) =>
          x.kind === 'session.results' ? { ...x, body: { resultDigest: '00'.repeat(32) } } : x,
        ),
    ],
  ])('refuses a transcript with %s', (_, mutate) => {
    // Re-chain the mutated entries so only the semantic check can catch the change.
    const mutated = mutate(honestTranscript());
    const rechained: TranscriptEntry[] = [];
    for (const x of mutated)
      rechained.push(
        appendEntry(
          plan.sessionId,
          rechained.at(-1),
          x.kind,
          { ...x.body } as never,
          new Date(x.at),
        ),
      );
    expect(() => sealTranscript(run.sessions[0], rechained, identities[0])).toThrow(
      /transcript refused/,
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
