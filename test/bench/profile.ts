import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscriptEntry } from '#concord/transcript';
import { startBenchConsortium } from './bench-consortium.js';
import { benchProtocol } from './bench-protocols.js';
import { type ClockWindow, summariseProfiles } from './cpu-profile-summary.js';
import { runNative } from './native-mpc.js';

/**
 * `npm run bench:profile -- --work sum --m 1000000`: one benchmark report with a V8 CPU profile of
 * the coordinator and every node, printed as a phase timeline (from the transcript) and the
 * heaviest functions per process. This is where docs/performance.md's explanations come from.
 */
const count = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};
const program = new Command('bench:profile')
  .option('--work <work>', 'sum or multiply', 'sum')
  .option('--m <count>', 'elements', count, 1_000_000)
  .option('--top <count>', 'functions listed per process', count, 12)
  .parse();
const options = program.opts<{ work: string; m: number; top: number }>();
if (options.work !== 'sum' && options.work !== 'multiply') {
  program.error(`--work must be sum or multiply, not ${options.work}`);
}
const work = options.work as 'sum' | 'multiply';
const print = (line = ''): boolean => process.stdout.write(`${line}\n`);
const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-profile-'));
  // Read by the process launcher: every spawned process runs with --cpu-prof into `dir`.
  process.env.CONCORD_PROFILE_DIR = dir;
  const bench = await startBenchConsortium([benchProtocol(work, options.m)], '1/2', 1);
  let entries: TranscriptEntry[] = [];
  let completedAt: string | null = null;
  let readMs = Number.NaN;
  const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);
  let window: ClockWindow = { startUs: 0, endUs: 0 };
  let readWindow: ClockWindow = { startUs: 0, endUs: 0 };
  try {
    const startUs = monotonicUs();
    const run = await runNative(bench, work, options.m, 1);
    // Up to the values in the analyst's hands: runNative reads the transcript after that.
    window = { startUs, endUs: startUs + Math.round(run.wallMs * 1000) };
    print(
      `${work} m=${options.m.toLocaleString('en-US')}: ${run.state}, ${ms(run.wallMs)} request to the values in the analyst's hands (Arrow read included)`,
    );
    const transcript = await bench.client.request<{ entries: TranscriptEntry[] }>(
      'GET',
      `/sessions/${run.reportId}/transcript`,
    );
    entries = transcript.body.entries;
    const state = await bench.client.request<{ completedAt: string | null }>(
      'GET',
      `/reports/${run.reportId}?values=false`,
    );
    completedAt = state.body.completedAt;
    // What the last step of the measured run costs: reading every value back as an analyst.
    const reading = performance.now();
    const readStartUs = monotonicUs();
    await bench.client.request('GET', `/reports/${run.reportId}`);
    readWindow = { startUs: readStartUs, endUs: monotonicUs() };
    readMs = performance.now() - reading;
  } finally {
    await bench.stop();
  }

  print('\nphases (coordinator clock, from the transcript; ms after session.created)');
  const t0 = entries.length > 0 ? Date.parse(entries[0].at) : 0;
  const at = (time: string | null | undefined): string => (time ? ms(Date.parse(time) - t0) : '—');
  const last = (pred: (e: TranscriptEntry) => boolean): TranscriptEntry | undefined =>
    entries.filter(pred).at(-1);
  const round = (r: string) => (e: TranscriptEntry) => e.kind === 'envelope' && e.body.round === r;
  const phases: [string, string | null | undefined][] = [
    ['all parties accepted', last((e) => e.kind === 'party.accepted')?.at],
    ['all noise committed', last((e) => e.kind === 'noise.committed')?.at],
    ['first input envelope', entries.find(round('input'))?.at],
    ['last open envelope', last(round('open'))?.at],
    ['first party result', entries.find((e) => e.kind === 'party.result')?.at],
    ['results released', entries.find((e) => e.kind === 'session.results')?.at],
    ['stored and sealed', completedAt],
  ];
  for (const [name, time] of phases) print(`  ${name.padEnd(22)} ${at(time).padStart(10)}`);
  print(`  then reading every value back (GET /reports/:id) takes ${ms(readMs)}`);

  printProfiles(
    `from request to the values in the analyst's hands (profiles in ${dir})`,
    dir,
    window,
  );
  printProfiles('while the values are read back', dir, readWindow);
}

function printProfiles(title: string, dir: string, window: ClockWindow): void {
  print(`\nself time per function ${title}`);
  const profiles = summariseProfiles(dir, options.top, window).sort((a, b) => b.busyMs - a.busyMs);
  for (const p of profiles) {
    print(
      `  ${p.role}: ${ms(p.busyMs)} busy of ${ms((window.endUs - window.startUs) / 1000)} (${p.file})`,
    );
    for (const line of p.top) {
      print(
        `    ${ms(line.selfMs).padStart(9)} ${(line.share * 100).toFixed(1).padStart(5)}%  ${line.frame}`,
      );
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(
    `profile failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
