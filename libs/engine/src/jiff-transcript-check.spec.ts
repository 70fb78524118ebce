import { describe, expect, it } from 'vitest';
import { generateIdentitySigner, randomBytes, seededRandom, toHex } from '#concord/crypto';
import { fieldById, fromBigInts } from '#concord/field';
import {
  compileSessionPlan,
  outputErrorBars,
  planHash,
  readCatalogueDirectory,
} from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import {
  appendEntry,
  type TranscriptEntry,
  type TranscriptEntryKind,
  verifySeal,
} from '#concord/transcript';
import { type SessionAcceptance, signAcceptance, verifyAcceptance } from './acceptance.js';
import { releaseDigestOf } from './published-release.js';
import { resultDigest } from './session-result.js';
import { type JiffSessionView, sealTranscript } from './transcript-check.js';

const rng = seededRandom('jiff-seal-spec');
const identities = [0, 1, 2].map(() => generateIdentitySigner(rng));
const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
const plan = compileSessionPlan(entry.analysis, {
  sessionId: 'jiff-seal-session',
  parameters: { serviceDate: '2026-03-10' },
  axisValues: { route: ['R1'] },
  budget: '1/2',
  parties: { transit: 1, payments: 2, planning: 3 },
});
const hash = planHash(plan);
const hex = (seed: string): string => toHex(randomBytes(seededRandom(seed), 32));
const PRIME = (2n ** 127n - 1n).toString();

const acceptances = ([1, 2, 3] as const).map((party) =>
  signAcceptance(identities[party - 1], {
    sessionId: plan.sessionId,
    party,
    planHash: hash,
    sessionKey: hex(`session-${party}`),
    jiffKey: hex(`jiff-${party}`),
  }),
);
/** commitments[from][to] */
const commitments = Object.fromEntries(
  [1, 2, 3].map((from) => [
    from,
    Object.fromEntries(
      [1, 2, 3].filter((to) => to !== from).map((to) => [to, hex(`c${from}${to}`)]),
    ),
  ]),
) as Record<number, Record<string, string>>;
const field = fieldById(plan.field);
const outputs = plan.outputs.map((o) => ({
  name: o.name,
  vector: fromBigInts(
    field,
    Array.from({ length: o.length }, (_, i) => BigInt(i - 3)),
  ),
}));
const result = { outputs, digest: resultDigest(plan.sessionId, outputs) };
/** What the endpoint relayed per direction (and what both ends counted). */
const relayed = new Map(
  ['1>2', '1>3', '2>1', '2>3', '3>1', '3>2'].map((d, i) => [
    d,
    { messages: 100 + i, digest: hex(`relay-${d}`) },
  ]),
);

function viewOf(self: PartyIndex): JiffSessionView {
  return {
    engine: 'jiff',
    sessionId: plan.sessionId,
    planHash: hash,
    plan,
    self,
    prime: PRIME,
    result,
    acceptedBy: new Map(acceptances.map((a) => [a.party, a])),
    commitment: { sessionId: plan.sessionId, party: self, commitments: commitments[self] },
    receivedCommitments: new Map(
      ([1, 2, 3] as const).filter((p) => p !== self).map((p) => [p, commitments[p][String(self)]]),
    ),
    relay: new Map([...relayed].filter(([d]) => d.split('>').includes(String(self)))),
  };
}

/** The transcript an honest coordinator records for a JIFF-mode session. */
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
  push('session.created', {
    protocol: plan.protocol,
    planHash: hash,
    parameters: plan.parameters,
    budget: plan.budget,
    requestId: 'jiff-seal-request',
    requestedBy: 'alice',
    ledger: {
      scope: plan.privacyUnit.scope,
      window: plan.privacyUnit.window,
      rho: plan.budget.rho,
      xi: plan.budget.xi,
    },
  });
  for (const a of acceptances)
    push('party.accepted', {
      party: a.party,
      agency: `agency-${a.party}`,
      sessionKey: a.sessionKey,
      jiffKey: a.jiffKey,
      signature: a.signature,
    });
  for (const p of [1, 2, 3]) push('noise.committed', { party: p, commitments: commitments[p] });
  push('jiff.started', {
    computationId: plan.sessionId,
    prime: PRIME,
    partyCount: 3,
    path: '/jiff',
  });
  for (const p of [1, 2, 3]) push('party.result', { party: p, resultDigest: result.digest });
  for (const [d, r] of relayed) {
    const [from, to] = d.split('>').map(Number);
    push('jiff.relay', { from, to, ...r });
  }
  push('session.results', {
    resultDigest: result.digest,
    releaseDigest: releaseDigestOf(plan, result, 2),
    releaseDigestVersion: 2,
    outputs: plan.outputs.map((o) => ({
      name: o.name,
      cells: o.length,
      intervalHalfWidth: outputErrorBars(o).halfWidth.toString(),
    })),
  });
  return out;
}

/** An entry's kind and body as a test edits them (bodies deliberately off their schema). */
interface LooseEntry {
  readonly kind: TranscriptEntry['kind'];
  readonly body: Readonly<Record<string, unknown>>;
}

function loose(entries: readonly TranscriptEntry[]): LooseEntry[] {
  return entries as unknown as LooseEntry[];
}

/** Rebuilds the chain after an edit of the entries' kinds and bodies. */
function rechain(entries: readonly LooseEntry[]): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const e of entries)
    out.push(
      appendEntry(
        plan.sessionId,
        out.at(-1),
        e.kind,
        { ...e.body } as never,
        new Date(1_764_000_000_000),
      ),
    );
  return out;
}

describe('a JIFF-mode acceptance', () => {
  it('signs the JIFF key with the session key; without it the statement is the native one', () => {
    const [a] = acceptances;
    expect(verifyAcceptance(identities[0].publicKey, a)).toBe(true);
    expect(verifyAcceptance(identities[0].publicKey, { ...a, jiffKey: hex('other') })).toBe(false);
    const withoutKey: SessionAcceptance = { ...a, jiffKey: undefined };
    expect(verifyAcceptance(identities[0].publicKey, withoutKey)).toBe(false);
    expect(verifyAcceptance(identities[0].publicKey, { ...a, jiffKey: 'zz' })).toBe(false);
    const native = signAcceptance(identities[0], {
      sessionId: a.sessionId,
      party: 1,
      planHash: a.planHash,
      sessionKey: a.sessionKey,
    });
    expect(verifyAcceptance(identities[0].publicKey, native)).toBe(true);
    expect(verifyAcceptance(identities[0].publicKey, { ...native, jiffKey: hex('x') })).toBe(false);
  });
});

describe('sealing a JIFF-mode transcript', () => {
  it('signs the head when the transcript matches every party’s own view', () => {
    const entries = honestTranscript();
    for (const p of [1, 2, 3] as const) {
      const seal = sealTranscript(viewOf(p), entries, identities[p - 1]);
      expect(seal.headHash).toBe(entries.at(-1)!.hash);
      expect(
        verifySeal(identities[p - 1].publicKey, plan.sessionId, seal.headHash, seal.signature),
      ).toBe(true);
    }
  });

  const edit = (f: (e: LooseEntry[]) => LooseEntry[]) => (e: TranscriptEntry[]) =>
    rechain(f(loose(e)));
  const relayOf = (e: LooseEntry, d: string): boolean =>
    e.kind === 'jiff.relay' && `${String(e.body.from)}>${String(e.body.to)}` === d;

  it.each([
    [
      'a message it sent counted differently',
      edit((e) =>
        e.map((x) =>
          relayOf(x, '1>2')
            ? { ...x, body: { ...x.body, messages: Number(x.body.messages) + 1 } }
            : x,
        ),
      ),
      /relayed 1 → 2 differ/,
    ],
    [
      'a different set of messages it received',
      edit((e) =>
        e.map((x) =>
          relayOf(x, '3>1') ? { ...x, body: { ...x.body, digest: hex('forged') } } : x,
        ),
      ),
      /relayed 3 → 1 differ/,
    ],
    [
      'a missing relay record',
      edit((e) => e.filter((x) => !relayOf(x, '2>3'))),
      /one JIFF relay record per direction/,
    ],
    [
      'a commitment after the JIFF computation started',
      edit((e) => {
        const late = e.find((x) => x.kind === 'noise.committed')!;
        const rest = e.filter((x) => x !== late);
        const start = rest.findIndex((x) => x.kind === 'jiff.started');
        return [...rest.slice(0, start + 1), late, ...rest.slice(start + 1)];
      }),
      /precede the JIFF computation/,
    ],
    [
      'a native envelope',
      edit((e) => [
        ...e.slice(0, 8),
        {
          kind: 'envelope',
          body: {
            round: 'input',
            from: 2,
            to: 3,
            chunk: 0,
            chunks: 1,
            bytes: 64,
            digest: hex('d'),
          },
        },
        ...e.slice(8),
      ]),
      /relays no envelopes/,
    ],
    [
      'another prime',
      edit((e) =>
        e.map((x) => (x.kind === 'jiff.started' ? { ...x, body: { ...x.body, prime: '7' } } : x)),
      ),
      /start of this session/,
    ],
    [
      'a JIFF key other than the one signed',
      edit((e) =>
        e.map((x) =>
          x.kind === 'party.accepted' && x.body.party === 3
            ? { ...x, body: { ...x.body, jiffKey: hex('substituted') } }
            : x,
        ),
      ),
      /party 3's acceptance differs/,
    ],
    [
      'a release digest over other values',
      edit((e) =>
        e.map((x) =>
          x.kind === 'session.results'
            ? { ...x, body: { ...x.body, releaseDigest: hex('other-release') } }
            : x,
        ),
      ),
      /release digest is not that of the values this party opened/,
    ],
    [
      'no start of the JIFF computation',
      edit((e) => e.filter((x) => x.kind !== 'jiff.started')),
      /start of this session/,
    ],
  ])('refuses %s', (_what, tamper, why) => {
    const seal = (): unknown =>
      sealTranscript(viewOf(1), tamper(honestTranscript()), identities[0]);
    expect(seal).toThrow(expect.objectContaining({ code: 'transcript-mismatch' }));
    expect(seal).toThrow(why);
  });

  it('leaves the directions it is not part of to the two parties that are', () => {
    const entries = rechain(
      loose(honestTranscript()).map((x) =>
        relayOf(x, '2>3') ? { ...x, body: { ...x.body, digest: hex('forged') } } : x,
      ),
    );
    expect(() => sealTranscript(viewOf(1), entries, identities[0])).not.toThrow();
    for (const p of [2, 3] as const)
      expect(() => sealTranscript(viewOf(p), entries, identities[p - 1])).toThrow(
        expect.objectContaining({ code: 'transcript-mismatch' }),
      );
  });
});
