import { describe, expect, it } from 'vitest';
import {
  addRevocationSignature,
  applyStatement,
  type Consortium,
  genesisConsortium,
  type KeyStatement,
  signRotation,
} from '#concord/consortium';
import { generateIdentityKeyPair, inMemorySigner, seededRandom, toHex } from '#concord/crypto';
import {
  outputDecimals,
  publishedOutputs,
  releaseDigestOf,
  runSessionInProcess,
  sealTranscript,
} from '#concord/engine';
import { compileSessionPlan, planHash, readCatalogueDirectory } from '#concord/protocol';
import {
  appendEntry,
  type EnvelopeBody,
  type PartyNumber,
  type ReleaseDigestVersion,
  type SessionResultsBody,
  type TranscriptBodies,
  type TranscriptEntry,
  type TranscriptEntryKind,
} from '#concord/transcript';
import { auditVerdict, type AuditReport } from './audit-report.js';
import type { TranscriptExportFile } from './transcript-export.js';
import { verifyTranscriptExport } from './verify-transcript.js';

const rng = seededRandom('audit-spec');
const identities = [0, 1, 2].map(() => generateIdentityKeyPair(rng));
const signers = identities.map((k) => inMemorySigner(k.secretKey, 'plain-file'));
const consortium: Consortium = genesisConsortium(
  'audit-spec',
  (['transit', 'payments', 'planning'] as const).map((role, i) => ({
    id: `agency-${i + 1}`,
    name: `agency-${i + 1}`,
    role,
    party: (i + 1) as PartyNumber,
    identityKey: identities[i].publicKey,
  })),
);
const catalogue = readCatalogueDirectory('protocols');
const plan = compileSessionPlan(catalogue.find('revenue-per-boarding')!.analysis, {
  sessionId: '00000000-0000-4000-8000-000000000042',
  parameters: { serviceDate: '2026-03-10' },
  axisValues: { route: ['R1'] },
  budget: '1/2',
  parties: { transit: 1, payments: 2, planning: 3 },
});
const hash = planHash(plan);

/** Builds a chain entry by entry, as the coordinator records it. */
function chain(): {
  entries: TranscriptEntry[];
  push: <K extends TranscriptEntryKind>(kind: K, body: TranscriptBodies[K]) => void;
} {
  const entries: TranscriptEntry[] = [];
  const push = <K extends TranscriptEntryKind>(kind: K, body: TranscriptBodies[K]): void => {
    entries.push(
      appendEntry(
        plan.sessionId,
        entries.at(-1),
        kind,
        body,
        new Date(Date.UTC(2026, 2, 10, 9, 0, entries.length)),
      ) as TranscriptEntry,
    );
  };
  push('session.created', {
    protocol: plan.protocol,
    planHash: hash,
    parameters: plan.parameters,
    budget: plan.budget,
    requestId: 'audit-request',
    requestedBy: 'alice',
    ledger: {
      scope: plan.privacyUnit.scope,
      window: plan.privacyUnit.window,
      rho: plan.budget.rho,
      xi: plan.budget.xi,
    },
  });
  return { entries, push };
}

const zero = plan.outputs.map((o) => new Array<bigint>(o.length).fill(0n));
const relayed: EnvelopeBody[] = [];
const run = runSessionInProcess(
  plan,
  [
    {
      identity: signers[0],
      inputs: new Map([['boardings', Array.from({ length: 24 }, (_, h) => 10 * h)]]),
      noise: zero,
      rng: seededRandom('p1'),
    },
    {
      identity: signers[1],
      inputs: new Map([['revenue', Array.from({ length: 24 }, (_, h) => 1000 + h)]]),
      noise: zero,
      rng: seededRandom('p2'),
    },
    { identity: signers[2], inputs: new Map(), noise: zero, rng: seededRandom('p3') },
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

/** A session's acceptances and (some of) its commitments, as recorded before any data. */
function opening(commitments: number): ReturnType<typeof chain> {
  const c = chain();
  for (const s of run.sessions) {
    const a = s.acceptedBy.get(s.self)!;
    c.push('party.accepted', {
      party: s.self,
      agency: `agency-${s.self}`,
      sessionKey: a.sessionKey,
      signature: a.signature,
    });
  }
  for (const s of run.sessions.slice(0, commitments))
    c.push('noise.committed', { party: s.self, commitments: s.commitment!.commitments });
  return c;
}

function exportOf(
  entries: TranscriptEntry[],
  rest: Pick<TranscriptExportFile, 'seals' | 'release' | 'abort' | 'state'>,
): TranscriptExportFile {
  return {
    format: 'concord-transcript/1',
    sessionId: plan.sessionId,
    protocol: plan.protocol,
    planHash: hash,
    plan,
    entries,
    ...rest,
  };
}

/** The export of the completed session, sealed by the three parties after their own checks. */
function completed(version: ReleaseDigestVersion = 2): TranscriptExportFile {
  const c = opening(3);
  for (const body of relayed) c.push('envelope', body);
  for (const s of run.sessions)
    c.push('party.result', { party: s.self, resultDigest: s.result!.digest });
  const published = publishedOutputs(plan, result.outputs.map(outputDecimals));
  c.push('session.results', {
    resultDigest: result.digest,
    releaseDigest: releaseDigestOf(plan, result, version),
    ...(version === 2 ? { releaseDigestVersion: 2 as const } : {}),
    outputs: published.map((o, i) => ({
      name: o.name,
      cells: plan.outputs[i].length,
      intervalHalfWidth: o.intervalHalfWidth,
    })),
  });
  const seals = run.sessions.map((s, i) => ({
    party: s.self,
    ...sealTranscript(s, c.entries, signers[i]),
  }));
  return exportOf(c.entries, {
    state: 'completed',
    seals,
    release: { outputs: published },
    abort: null,
  });
}

/** An export whose session party 2 aborted after `commitments` noise commitments. */
function aborted(commitments: number, refund: boolean): TranscriptExportFile {
  const c = opening(commitments);
  const started = commitments === 3;
  c.push('party.aborted', {
    party: 2,
    code: 'noise-commitment-mismatch',
    message: 'party 1’s noise sharing does not match its commitment',
    suspects: [1],
  });
  const abort = {
    code: 'party-aborted',
    message: 'party 2 aborted (noise-commitment-mismatch)',
    by: 2 as const,
  };
  c.push('session.aborted', { ...abort, dataPhaseStarted: started });
  if (refund)
    c.push('ledger.refunded', {
      requestId: 'audit-request',
      rho: plan.budget.rho,
      xi: plan.budget.xi,
    });
  return exportOf(c.entries, { state: 'aborted', seals: [], release: null, abort });
}

/** The same entries with one edited and every later hash recomputed (a forger's best effort). */
function rechained(entries: readonly TranscriptEntry[]): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (const e of entries)
    out.push(appendEntry(plan.sessionId, out.at(-1), e.kind, { ...e.body }, new Date(e.at)));
  return out;
}

function audit(file: unknown): AuditReport {
  return verifyTranscriptExport(file, consortium, catalogue);
}

function failed(report: AuditReport): Record<string, string> {
  return Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.name, c.detail]));
}

describe('auditing a completed session', () => {
  it('verifies an intact export and says the published values are the sealed ones', () => {
    const report = audit(JSON.parse(JSON.stringify(completed())));
    expect(failed(report)).toEqual({});
    expect(report.ok).toBe(true);
    expect(report.outcome).toBe('completed');
    expect(report.checks.map((c) => c.name)).toEqual([
      'format',
      'hash chain',
      'protocol',
      'plan',
      'ledger charge',
      'identity keys',
      'outcome',
      'session keys',
      'noise before data',
      'results',
      'release',
      'error bars',
      'seals',
    ]);
    expect(report.charge).toEqual({
      requestId: 'audit-request',
      scope: plan.privacyUnit.scope,
      window: plan.privacyUnit.window,
      rho: '1/2',
      xi: plan.budget.xi,
    });
    expect([report.abort, report.refund, report.partyAborts]).toEqual([null, null, []]);
    expect(auditVerdict(report)).toBe(
      'verified: completed session; the published values are the ones the three agencies sealed',
    );
  });

  it('fails naming the release when a published value differs from the sealed one', () => {
    const file = completed();
    const outputs = file.release!.outputs.map((o, i) =>
      i === 0 ? { ...o, values: o.values.replace(/^\d+/, (v) => String(Number(v) + 1)) } : o,
    );
    const report = audit({ ...file, release: { outputs } });
    expect(failed(report)).toEqual({
      release:
        'the published values, units, intervals or confidence levels are not the ones the three agencies sealed: they do not hash to the sealed release digest',
    });
    expect(report.checks.find((c) => c.name === 'release')?.seq).toBe(file.entries.length - 1);
    expect(auditVerdict(report)).toBe('NOT verified: 1 check failed');
  });

  it('verifies a release sealed under the version 1 digest, over the text, and fails it altered', () => {
    const file = completed(1);
    expect('releaseDigestVersion' in file.entries.at(-1)!.body).toBe(false);
    expect(failed(audit(JSON.parse(JSON.stringify(file))))).toEqual({});
    const outputs = file.release!.outputs.map((o, i) =>
      i === 1 ? { ...o, values: o.values.replace(/\d+$/, (v) => String(Number(v) + 1)) } : o,
    );
    expect(Object.keys(failed(audit({ ...file, release: { outputs } })))).toEqual(['release']);
  });

  it('fails a version 2 release whose published text spells a sealed value another way', () => {
    const file = completed();
    for (const respell of [
      (v: string) => v.replace(/^(-?)(\d)/, '$10$2'), // a leading zero
      (v: string) => (v.startsWith('-') ? v : `+${v}`),
      (v: string) => v.replace(/^/, ' '),
    ]) {
      const outputs = file.release!.outputs.map((o, i) =>
        i === 0 ? { ...o, values: respell(o.values) } : o,
      );
      expect(failed(audit({ ...file, release: { outputs } })).release).toBe(
        'the published values of boardings are not canonical decimal integers within the plan’s field',
      );
    }
  });

  it('fails, without reading past the plan, an export publishing more outputs than the plan has', () => {
    const file = completed();
    const [boardings, revenue] = file.release!.outputs;
    const extra = { ...revenue, name: 'riders' };
    const outputs = [
      ...(file.entries.at(-1)!.body as SessionResultsBody).outputs,
      { name: 'riders', cells: 24, intervalHalfWidth: '1' },
    ];
    const entries = rechained(
      file.entries.map((e) =>
        e.kind === 'session.results' ? { ...e, body: { ...e.body, outputs } } : e,
      ),
    );
    const report = audit({ ...file, entries, release: { outputs: [boardings, revenue, extra] } });
    expect(failed(report).release).toBe(
      'the published outputs (boardings, revenue, riders) are not the plan’s (boardings, revenue)',
    );
  });

  it('cannot check a version 2 release without the verified plan, which gives the field', () => {
    const file = completed();
    const report = audit({ ...file, plan: { ...file.plan, field: 'rns31x6' } });
    expect(failed(report).release).toBe(
      'the plan is not verified, so the published values cannot be read as the field limbs the release digest covers',
    );
  });

  it('fails when a published interval or level is not the exact one, or a unit changed', () => {
    const file = completed();
    const [boardings, revenue] = file.release!.outputs;
    const narrowed = audit({
      ...file,
      release: { outputs: [boardings, { ...revenue, intervalHalfWidth: '100' }] },
    });
    expect(failed(narrowed)).toEqual({
      release: expect.stringContaining('do not hash to the sealed release digest') as string,
      'error bars': `the interval published for revenue (±100) is not the exact one for its noise (±${revenue.intervalHalfWidth})`,
    });
    const level = audit({
      ...file,
      release: { outputs: [{ ...boardings, confidenceLevel: '0.99' }, revenue] },
    });
    expect(failed(level)['error bars']).toBe(
      'the confidence level published for boardings (0.99) is not the plan’s (0.95)',
    );
    const unit = audit({
      ...file,
      release: { outputs: [{ ...boardings, unit: 'riders' }, revenue] },
    });
    expect(Object.keys(failed(unit))).toEqual(['release']);
  });

  it('fails when the export publishes nothing, another grid or other outputs', () => {
    const file = completed();
    const [boardings, revenue] = file.release!.outputs;
    expect(failed(audit({ ...file, release: null })).release).toBe(
      'the export carries no published values to check against the sealed release',
    );
    expect(failed(audit({ ...file, release: { outputs: [revenue, boardings] } })).release).toBe(
      'the published outputs (revenue, boardings) are not the released ones (boardings, revenue)',
    );
    const dropped = { ...boardings, values: boardings.values.split(',').slice(1).join(',') };
    expect(failed(audit({ ...file, release: { outputs: [dropped, revenue] } })).release).toBe(
      'the published values of boardings are not one per cell of its 24-cell grid',
    );
  });

  it('fails when the sealed release digest itself was rewritten (hashes recomputed)', () => {
    const file = completed();
    const entries = rechained(
      file.entries.map((e) =>
        e.kind === 'session.results'
          ? { ...e, body: { ...e.body, releaseDigest: '0'.repeat(64) } }
          : e,
      ),
    );
    const report = audit({ ...file, entries });
    expect(Object.keys(failed(report))).toEqual(['release', 'seals']);
    expect(failed(report).seals).toBe("party 1's seal is not its signature over the release");
  });

  it('fails a charge to another window or scope than the privacy unit of its plan (hashes recomputed)', () => {
    const file = completed();
    for (const ledger of [{ window: '2026-03-08' }, { scope: 'ridership' }]) {
      const entries = rechained(
        file.entries.map((e) =>
          e.kind === 'session.created'
            ? { ...e, body: { ...e.body, ledger: { ...e.body.ledger, ...ledger } } }
            : e,
        ),
      );
      const report = audit({ ...file, entries });
      expect(failed(report)['ledger charge']).toMatch(/for a plan whose privacy unit is/);
    }
  });

  it('fails a seal that is missing, and a transcript that has not finished', () => {
    const file = completed();
    expect(failed(audit({ ...file, seals: file.seals.slice(0, 2) })).seals).toBe(
      'party 3 has not sealed the transcript',
    );
    const running = audit({
      ...file,
      entries: file.entries.slice(0, -1),
      seals: [],
      release: null,
    });
    expect(running.outcome).toBe('unfinished');
    expect(failed(running)).toEqual({
      outcome: `the transcript ends with neither a release nor an abort (entry ${file.entries.length - 2}, party.result): the session has not finished`,
    });
  });
});

describe('auditing an aborted session', () => {
  it('verifies it as aborted: who and why, the party reports, the charge and its refund', () => {
    const file = aborted(2, true);
    const report = audit(JSON.parse(JSON.stringify(file)));
    expect(failed(report)).toEqual({});
    expect(report.outcome).toBe('aborted');
    expect(report.abort).toEqual({
      by: 2,
      code: 'party-aborted',
      message: 'party 2 aborted (noise-commitment-mismatch)',
      dataPhaseStarted: false,
      seq: file.entries.length - 2,
    });
    expect(report.partyAborts).toEqual([
      {
        party: 2,
        code: 'noise-commitment-mismatch',
        message: 'party 1’s noise sharing does not match its commitment',
        suspects: [1],
        seq: file.entries.length - 3,
      },
    ]);
    expect(report.refund).toEqual({ rho: '1/2', xi: plan.budget.xi, seq: file.entries.length - 1 });
    expect(report.charge?.rho).toBe('1/2');
    const details = Object.fromEntries(report.checks.map((c) => [c.name, c.detail]));
    expect(details).toMatchObject({
      outcome: `aborted: the transcript ends with the abort (entry ${file.entries.length - 2}) and its refund`,
      'session keys':
        'all three parties accepted, each with a session key signed by its pinned identity key',
      'noise before data':
        '2 of the three parties committed to their noise, after the acceptances and before any data',
      abort:
        'aborted by party 2 (party-aborted: party 2 aborted (noise-commitment-mismatch)) before its data phase',
      refund: `the charge (ρ = 1/2, ξ = ${plan.budget.xi}) was refunded: the data phase never began`,
      release: 'nothing was published',
      seals: 'no agency sealed the transcript',
      'party reports': 'party 2 stopped (noise-commitment-mismatch), suspecting party 1',
    });
    expect(auditVerdict(report)).toBe(
      'verified: aborted session (by party 2, party-aborted: party 2 aborted (noise-commitment-mismatch))',
    );
  });

  it('verifies a decline before any party accepted', () => {
    const c = chain();
    const abort = { code: 'declined', message: 'party 3 declined (no-budget)', by: 3 as const };
    c.push('session.aborted', { ...abort, dataPhaseStarted: false });
    c.push('ledger.refunded', {
      requestId: 'audit-request',
      rho: plan.budget.rho,
      xi: plan.budget.xi,
    });
    const report = audit(
      exportOf(c.entries, { state: 'aborted', seals: [], release: null, abort }),
    );
    expect(failed(report)).toEqual({});
    expect(
      report.checks.filter((x) => x.name.startsWith('session') || x.name.startsWith('noise')),
    ).toEqual([
      { name: 'session keys', ok: true, detail: 'no party accepted' },
      { name: 'noise before data', ok: true, detail: 'no party committed to its noise' },
    ]);
    expect(auditVerdict(report)).toBe(
      'verified: aborted session (by party 3, declined: party 3 declined (no-budget))',
    );
  });

  it('verifies an abort after the data phase that keeps the charge', () => {
    const report = audit(aborted(3, false));
    expect(failed(report)).toEqual({});
    expect(report.checks.find((c) => c.name === 'refund')?.detail).toBe(
      'nothing refunded: the data phase had begun, so the charge stands',
    );
  });

  it('fails a refund after the data phase, a second refund, and one of another charge', () => {
    const after = aborted(3, true);
    expect(failed(audit(after))).toEqual({
      refund:
        'refunded after the data phase: all three noise commitments precede the refund, so noise may have left a party and the charge must stand',
    });
    const file = aborted(2, true);
    const last = file.entries.at(-1)!;
    const twice = rechained([...file.entries, last]);
    expect(failed(audit({ ...file, entries: twice })).refund).toBe(
      'the charge is refunded more than once',
    );
    const more = rechained(
      file.entries.map((e) =>
        e.kind === 'ledger.refunded' ? { ...e, body: { ...e.body, rho: '1' } } : e,
      ),
    );
    expect(failed(audit({ ...file, entries: more })).refund).toBe(
      `the refund (ρ = 1, ξ = ${plan.budget.xi}) is not the charge the session opened with`,
    );
  });

  it('fails an abort that misstates the data phase or is not the one the coordinator reports', () => {
    const file = aborted(3, false);
    const claimed = rechained(
      file.entries.map((e) =>
        e.kind === 'session.aborted' ? { ...e, body: { ...e.body, dataPhaseStarted: false } } : e,
      ),
    );
    expect(failed(audit({ ...file, entries: claimed })).abort).toBe(
      'the abort says the data phase had not begun, but 3 of the three noise commitments precede it',
    );
    expect(failed(audit({ ...file, abort: { ...file.abort!, by: 'coordinator' } })).abort).toBe(
      'the abort the coordinator reports (its code, message or who) is not the one its transcript records',
    );
    expect(failed(audit({ ...file, abort: null })).abort).toBe(
      'the coordinator does not report the session as aborted',
    );
  });

  it('fails an aborted session that publishes values or carries seals', () => {
    const file = aborted(2, false);
    const release = completed().release;
    expect(failed(audit({ ...file, release, seals: completed().seals }))).toEqual({
      release: 'an aborted session publishes nothing, but the export carries published values',
      seals: 'no results were released before the abort, but the export carries 3 seal(s)',
    });
  });

  it('fails a refund recorded in a completed session', () => {
    const file = completed();
    const entries = rechained([
      ...file.entries,
      ...aborted(2, true).entries.filter((e) => e.kind === 'ledger.refunded'),
    ]);
    const report = audit({ ...file, entries });
    expect(report.outcome).toBe('completed');
    expect(failed(report).outcome).toBe(
      "a completed session's transcript must not record a ledger.refunded entry",
    );
  });
});

describe('auditing a malformed export', () => {
  it.each([
    ['not an object', () => 'text', 'malformed export: the export must be a JSON object'],
    [
      'another format',
      () => ({ ...completed(), format: 'x' }),
      'malformed export: format must be concord-transcript/1',
    ],
    [
      'no release field',
      () => Object.fromEntries(Object.entries(completed()).filter(([k]) => k !== 'release')),
      'malformed export: release is missing (null when nothing is published)',
    ],
    [
      'a release value that is not text',
      () => {
        const file = completed();
        return { ...file, release: { outputs: [{ ...file.release!.outputs[0], values: [1, 2] }] } };
      },
      'malformed export: release.outputs[0].values must be a string',
    ],
    [
      'a malformed entry',
      () => {
        const file = completed();
        const entries = file.entries.map((e, i) =>
          i === 2 ? { ...e, body: { ...e.body, signature: 42 } } : e,
        );
        return { ...file, entries };
      },
      'malformed export: entry 2 (seq 2, party.accepted): body.signature must be 128 lowercase hex digits',
    ],
    [
      'a seal of party 4',
      () => ({ ...completed(), seals: [{ party: 4, headHash: 'a', signature: 'b' }] }),
      'malformed export: seals[0].party must be a party number (1, 2 or 3)',
    ],
  ])('reports %s as one failing format check', (_what, make, detail) => {
    const report = audit(make());
    expect(report.ok).toBe(false);
    expect(report.outcome).toBe('unreadable');
    expect(report.checks).toEqual([{ name: 'format', ok: false, detail }]);
    expect(auditVerdict(report)).toBe('NOT verified: 1 check failed');
  });
});

describe('auditing with the keys of the session’s time', () => {
  // The fixture's entries are recorded on 2026-03-10 from 09:00:00 on, one second apart.
  const newKey = generateIdentityKeyPair(seededRandom('audit-spec/rotation'));
  const signer = (i: number) => inMemorySigner(identities[i].secretKey, 'plain-file');
  const then = (c: Consortium, s: KeyStatement): Consortium => {
    const r = applyStatement(c, s);
    if (!r.ok) throw r.error;
    return r.consortium;
  };
  const rotated = (effectiveAt: string): Consortium =>
    then(
      consortium,
      signRotation(
        consortium.name,
        { agencyId: 'agency-1', fromEpoch: 0, newEpoch: 1, effectiveAt: Date.parse(effectiveAt) },
        signer(0),
        inMemorySigner(newKey.secretKey, 'plain-file'),
      ),
    );
  const revoked = (epoch0At: string): Consortium =>
    then(
      consortium,
      [1, 2].reduce<KeyStatement & { type: 'revocation' }>(
        (st, i) =>
          addRevocationSignature(
            consortium.name,
            st,
            {
              agencyId: `agency-${i + 1}`,
              keyEpoch: 0,
              signedAt: Date.parse('2026-04-01T00:00:00Z'),
            },
            signer(i),
          ),
        {
          type: 'revocation',
          agencyId: 'agency-1',
          epoch: 0,
          publicKey: toHex(identities[0].publicKey),
          revokedAt: Date.parse(epoch0At),
          reason: 'key file leaked',
          signatures: [],
        },
      ),
    );
  const verify = (c: Consortium): AuditReport =>
    verifyTranscriptExport(JSON.parse(JSON.stringify(completed())), c, catalogue);

  it('verifies a transcript sealed before a rotation against the updated consortium', () => {
    const report = verify(rotated('2026-03-11T00:00:00Z'));
    expect(failed(report)).toEqual({});
    expect(report.checks.find((c) => c.name === 'identity keys')?.detail).toMatch(
      /^party 1 epoch 0, party 2 epoch 0, party 3 epoch 0: each key in force/,
    );
  });

  it('fails a transcript signed with the old key after the rotation took effect', () => {
    const report = verify(rotated('2026-03-10T08:00:00Z'));
    expect(report.ok).toBe(false);
    expect(failed(report)['identity keys']).toMatch(
      /party 1 accepted at 2026-03-10T09:00:\d\d.\d+Z with a key not in force then: .*superseded by epoch 1 at 2026-03-10T08:00:00.000Z/,
    );
  });

  it('fails a transcript whose key was revoked before its release, not one revoked after', () => {
    expect(failed(verify(revoked('2026-03-10T09:00:00Z')))['identity keys']).toMatch(
      /party 1 accepted .* revoked since 2026-03-10T09:00:00.000Z \(key file leaked\)/,
    );
    expect(failed(verify(revoked('2026-03-10T09:00:07Z')))['identity keys']).toMatch(
      /revoked since 2026-03-10T09:00:07.000Z, before the release/,
    );
    expect(failed(verify(revoked('2026-03-12T00:00:00Z')))).toEqual({});
  });
});
