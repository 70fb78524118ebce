import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptExportFile } from '#concord/audit';
import { consortiumToJson } from '#concord/consortium';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { appendEntry, type TranscriptEntry } from '#concord/transcript';
import { builtEntry } from '../../apps/agency-node/src/demo/repo-paths.js';
import { PARTY_OF_ROLE, testConsortium, testIdentities } from '../dp/support/parties.js';
import { recordRelease } from '../dp/support/release-transcript.js';

/**
 * `concord audit verify` as an auditor runs it: the built CLI, from a directory without a
 * catalogue (it must use the one shipped with the package), on exports written to files.
 */
describe('concord audit verify', { timeout: 60_000 }, () => {
  const identities = testIdentities('audit-cli');
  let dir: string;
  let completed: TranscriptExportFile;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-audit-'));
    writeFileSync(
      join(dir, 'consortium.json'),
      JSON.stringify(consortiumToJson(testConsortium(identities))),
    );
    const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
    const plan = compileSessionPlan(entry.analysis, {
      sessionId: '00000000-0000-4000-8000-00000000a0d1',
      parameters: { serviceDate: '2026-03-10' },
      axisValues: { route: ['R1', 'R2'] },
      budget: '1/10',
      parties: PARTY_OF_ROLE,
    });
    const cells = plan.outputs[0].length;
    completed = recordRelease({
      plan,
      identities,
      inputs: [
        new Map([['boardings', Array.from({ length: cells }, (_, i) => 3 * i)]]),
        new Map([['revenue', Array.from({ length: cells }, (_, i) => 250 * i)]]),
        new Map(),
      ],
      seed: 'audit-cli',
      requestId: 'audit-cli-request',
      analyst: 'alice',
      at: new Date(Date.UTC(2026, 2, 10, 8)),
    }).file;
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function verify(
    name: string,
    contents: string,
    ...flags: string[]
  ): { status: number | null; stdout: string; stderr: string } {
    writeFileSync(join(dir, name), contents);
    const run = spawnSync(
      process.execPath,
      [builtEntry('cli'), 'audit', 'verify', name, '--consortium', 'consortium.json', ...flags],
      { cwd: dir, encoding: 'utf8' },
    );
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  /** The aborted session: party 2 stopped after two commitments, the charge was refunded. */
  function abortedExport(): TranscriptExportFile {
    const kept = completed.entries.filter(
      (e) => e.kind === 'session.created' || e.kind === 'party.accepted',
    );
    const entries: TranscriptEntry[] = [...kept];
    const commitments = completed.entries.filter((e) => e.kind === 'noise.committed').slice(0, 2);
    const at = new Date(Date.UTC(2026, 2, 10, 8, 1));
    for (const e of commitments)
      entries.push(appendEntry(completed.sessionId, entries.at(-1), e.kind, e.body, at));
    entries.push(
      appendEntry(
        completed.sessionId,
        entries.at(-1),
        'session.aborted',
        {
          code: 'declined',
          message: 'party 2 declined (no-budget)',
          by: 2,
          dataPhaseStarted: false,
        },
        at,
      ),
    );
    entries.push(
      appendEntry(
        completed.sessionId,
        entries.at(-1),
        'ledger.refunded',
        {
          requestId: 'audit-cli-request',
          rho: completed.plan.budget.rho,
          xi: completed.plan.budget.xi,
        },
        at,
      ),
    );
    return {
      ...completed,
      state: 'aborted',
      entries,
      seals: [],
      release: null,
      abort: { code: 'declined', message: 'party 2 declined (no-budget)', by: 2 },
    };
  }

  it('verifies an intact completed export, one line per check, with the shipped catalogue', () => {
    const run = verify('completed.json', JSON.stringify(completed));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`transcript of session ${completed.sessionId}: completed`);
    expect(lines.filter((l) => l.startsWith('  ok   '))).toHaveLength(13);
    expect(lines).toContain(
      `  charge: ρ = 1/10, ξ = ${completed.plan.budget.xi} to ${completed.plan.privacyUnit.scope} / ${completed.plan.privacyUnit.window} (request audit-cli-request)`,
    );
    expect(lines.at(-1)).toBe(
      'verified: completed session; the published values are the ones the three agencies sealed',
    );
  });

  it('fails naming the release when a published value was altered', () => {
    const outputs = completed.release!.outputs.map((o, i) =>
      i === 0 ? { ...o, values: o.values.replace(/-?\d+$/, (v) => String(Number(v) + 1)) } : o,
    );
    const run = verify('altered.json', JSON.stringify({ ...completed, release: { outputs } }));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /\n {2}FAIL release: the published values, units, intervals or confidence levels are not the ones the three agencies sealed: they do not hash to the sealed release digest \(entry \d+\)\n/,
    );
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('NOT verified: 1 check failed');
  });

  it('verifies an aborted export as aborted, with its refund', () => {
    const run = verify('aborted.json', JSON.stringify(abortedExport()));
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`transcript of session ${completed.sessionId}: aborted`);
    expect(lines).toContain(`  refund: ρ = 1/10, ξ = ${completed.plan.budget.xi} (entry 7)`);
    expect(lines.at(-1)).toBe(
      'verified: aborted session (by party 2, declined: party 2 declined (no-budget))',
    );
  });

  it('prints the report as JSON with --json', () => {
    const run = verify('aborted.json', JSON.stringify(abortedExport()), '--json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { outcome: string; abort: { by: number } };
    expect([report.outcome, report.abort.by]).toEqual(['aborted', 2]);
  });

  it.each([
    [
      'bad JSON',
      '{"format": "concord-transcript/1",',
      /^ {2}FAIL format: the export bad\.json is not JSON: /m,
    ],
    [
      'a missing field',
      JSON.stringify({ format: 'concord-transcript/1' }),
      /^ {2}FAIL format: malformed export: sessionId is missing$/m,
    ],
    [
      'a malformed entry',
      JSON.stringify({
        format: 'concord-transcript/1',
        sessionId: 's',
        state: 'completed',
        protocol: { id: 'p', version: '1', hash: 'h' },
        planHash: 'h',
        plan: {
          parameters: {},
          budget: { mechanism: 'm', value: 'v', rho: 'r', xi: 'x' },
          parties: {},
          field: 'f',
          axes: [],
          outputs: [],
        },
        entries: [
          { seq: 0, kind: 'session.created', at: 'now', body: {}, prevHash: 'x', hash: 'y' },
        ],
        seals: [],
        release: null,
        abort: null,
      }),
      /^ {2}FAIL format: malformed export: entry 0 \(seq 0, session\.created\): prevHash must be 64 lowercase hex digits$/m,
    ],
  ])('reports %s as a failed check, exit code 1, no stack trace', (_what, contents, line) => {
    const run = verify('bad.json', contents);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(line);
    expect(run.stdout).not.toMatch(/\n\s+at /);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('NOT verified: 1 check failed');
  });

  it('stops with one line when the auditor’s own consortium file is missing', () => {
    writeFileSync(join(dir, 'x.json'), '{}');
    const run = spawnSync(
      process.execPath,
      [builtEntry('cli'), 'audit', 'verify', 'x.json', '--consortium', 'missing.json'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('concord: cannot read the consortium file missing.json (ENOENT)\n');
  });
});
