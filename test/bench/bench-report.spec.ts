import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import {
  BENCH_REPORT_SCHEMA,
  type BenchReport,
  BenchReporter,
  benchReportProblems,
} from './bench-report.js';

// The quickest mode (the private join in one process) at tiny sizes: a couple of seconds. The
// figures themselves are never asserted, only the document's shape and arithmetic.
const TINY_JOIN = ['--join', '--join-sizes', '100', '--join-sample', '200', '--no-join-report'];

function runBench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const entry = join(repoRoot(), 'dist/test/bench/main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
  const run = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --json', () => {
  it('prints one schema-valid JSON document on stdout and the text on stderr', () => {
    const run = runBench(...TINY_JOIN, '--json');
    expect(run.status, run.stderr).toBe(0);
    // Nothing but the document on stdout: the whole of it parses.
    const doc = JSON.parse(run.stdout) as BenchReport;
    expect(benchReportProblems(doc)).toEqual([]);
    expect(doc.schema).toBe(BENCH_REPORT_SCHEMA);
    expect(doc.mode).toBe('join');
    expect(doc.options).toMatchObject({ sizes: [100], sample: 200 });

    const ids = doc.rows.map((r) => r.id);
    for (const id of [
      'join.rate.hashToCurve',
      'join.rate.blind',
      'join.rate.match',
      'join.n100.taps',
      'join.n100.enrolled',
      'join.n100.intersection',
      'join.n100.plaintext',
      'join.n100.end-to-end',
      'join.n100.bytes-per-token',
      'join.blind-step.workers-1',
    ])
      expect(ids).toContain(id);
    const intersection = doc.rows.find((r) => r.id === 'join.n100.intersection');
    expect(intersection).toMatchObject({ value: 16, unit: 'count' });

    // The text's ratio is the row's ratio, computed against the baseline row of the same run.
    const endToEnd = doc.rows.find((r) => r.id === 'join.n100.end-to-end');
    const plaintext = doc.rows.find((r) => r.id === 'join.n100.plaintext');
    expect(endToEnd?.baseline).toEqual({ id: plaintext?.id, value: plaintext?.value, unit: 'ms' });
    expect(endToEnd?.ratio).toBe((endToEnd?.value ?? 0) / (plaintext?.value ?? 1));
    expect(doc.rows.filter((r) => r.baseline !== null).length).toBeGreaterThanOrEqual(2);

    expect(run.stderr).toContain('Concord private-join benchmark');
    expect(run.stderr).toContain('private/plaintext');
  });

  it('with a file, writes the same schema there and keeps the text on stdout', () => {
    const file = join(dir, 'figures.json');
    const run = runBench(...TINY_JOIN, '--json', file);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('private/plaintext');
    expect(run.stdout).toContain(`figures written to ${file}`);
    expect(benchReportProblems(JSON.parse(readFileSync(file, 'utf8')))).toEqual([]);
  });
});

describe('benchReportProblems', () => {
  const valid = (): BenchReport => {
    const reporter = new BenchReporter('join', {}, () => undefined);
    const base = reporter.add({ id: 'a', group: 'g', description: 'd', unit: 'ms', value: 4 });
    reporter.add({ id: 'b', group: 'g', description: 'd', unit: 'ms', value: 10 }, base);
    return reporter.report();
  };

  it('accepts what the reporter builds, with ratio = value / baseline.value', () => {
    const doc = valid();
    expect(benchReportProblems(doc)).toEqual([]);
    expect(doc.rows[1]?.ratio).toBe(2.5);
  });

  it('rejects a wrong ratio, a missing unit, a baseline that is not a row of the run', () => {
    const doc = valid();
    const [a, b] = doc.rows;
    if (!a || !b) throw new Error('rows missing');
    expect(benchReportProblems({ ...doc, rows: [a, { ...b, ratio: 0.4 }] })).toEqual([
      'row b: ratio is not value / baseline.value',
    ]);
    expect(benchReportProblems({ ...doc, rows: [{ ...a, unit: '' }, b] })).toContain(
      'row a: no unit',
    );
    expect(benchReportProblems({ ...doc, rows: [b] })).toEqual([
      'row b: baseline a is not an earlier row of this run',
    ]);
  });
});
