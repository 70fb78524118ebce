import 'reflect-metadata';
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startBenchConsortium } from './bench-consortium.js';
import { benchDpSamplers } from './dp-samplers.js';
import { benchStockJiff, type StockJiffVariant } from './jiff-baseline.js';
import { benchJiffEngineReport } from './jiff-engine-report.js';
import { benchLoad, LOAD_PHASES } from './load.js';
import { benchMediumReport } from './medium-report.js';
import { benchProtocol } from './bench-protocols.js';
import { type NativeRun, runNative } from './native-mpc.js';
import { runPlaintext } from './plaintext.js';
import { benchPrivateJoin, blindRateWithWorkers } from './private-join.js';

/**
 * `npm run bench`: prints figures and ratios, and writes them as JSON with `--json <file>`.
 * Nothing here asserts a speed; tests never time anything.
 */
const program = new Command('bench')
  .option('--json <file>', 'also write the figures as JSON')
  .option('--quick', 'sizes up to 10^5 only, one run each')
  .option('--runs <n>', 'runs per size of (a) and (b); the median is reported', '3')
  .option('--load', 'only the load run: 50, then 200 concurrent small-city reports')
  .option(
    '--join',
    'only the private join: group-operation rates, then 10^4, 10^5 and 10^6 tokens end to end',
  )
  .option('--batches <sizes>', 'with --load: the batch sizes, comma-separated', '50,200')
  .option(
    '--max-running <n>',
    "with --load: the coordinator's MAX_RUNNING_SESSIONS (default: its own default)",
  )
  .parse();
const options = program.opts<{
  json?: string;
  quick?: boolean;
  runs: string;
  load?: boolean;
  join?: boolean;
  batches: string;
  maxRunning?: string;
}>();
const runs = options.quick ? 1 : Number(options.runs);
if (!Number.isSafeInteger(runs) || runs < 1 || runs > 3) program.error('--runs must be 1, 2 or 3');
const sizes = options.quick ? [1e3, 1e4, 1e5] : [1e3, 1e4, 1e5, 1e6];

const print = (line = ''): boolean => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main(): Promise<void> {
  if (options.load) return load();
  if (options.join) return join();
  const figures: Record<string, unknown> = {
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      node: process.version,
      database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
    },
    at: new Date().toISOString(),
  };
  print(
    `Concord benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );

  print(
    `\n(a, b, d) shared sums and multiplications through the real coordinator, against plaintext (median of ${runs})`,
  );
  const protocols = (['sum', 'multiply'] as const).flatMap((work) =>
    sizes.map((m) => benchProtocol(work, m)),
  );
  const bench = await startBenchConsortium(protocols, '1/2', runs);
  const native: (NativeRun & {
    plaintextMs: number;
    ratioToPlaintext: number;
    runsWallMs: number[];
  })[] = [];
  try {
    let day = 1;
    for (const work of ['sum', 'multiply'] as const) {
      for (const m of sizes) {
        // Each run is its own report (its own ledger day); the median run is reported.
        const all: NativeRun[] = [];
        for (let r = 0; r < runs; r++) all.push(await runNative(bench, work, m, day++));
        const sorted = [...all].sort((a, b) => a.wallMs - b.wallMs);
        const run = { ...sorted[(sorted.length - 1) >> 1], correct: all.every((x) => x.correct) };
        const spread = runs > 1 ? ` [${sorted.map((x) => fmt(x.wallMs)).join(', ')}]` : '';
        const plain = runPlaintext(work, m);
        native.push({
          ...run,
          plaintextMs: plain.ms,
          ratioToPlaintext: run.wallMs / plain.ms,
          runsWallMs: all.map((x) => x.wallMs),
        });
        print(
          `  ${work.padEnd(8)} m=${fmt(m).padStart(9)}  ${run.state}${run.correct ? '' : ' (WRONG)'}  ` +
            `${fmt(run.wallMs, 1).padStart(8)} ms wall${spread} (${fmt(run.protocolMs)} ms in rounds)  ` +
            `${fmt(run.elementsPerSecond).padStart(11)} elements/s  ${fmt(run.bytesSentPerParty).padStart(12)} bytes/party  ` +
            `plaintext ${fmt(plain.ms, 3)} ms (MPC/plaintext ${fmt(run.wallMs / plain.ms)}×)`,
        );
      }
    }
  } finally {
    await bench.stop();
  }
  figures.native = native;

  print(
    '\n(c) the same work by the stock JIFF client (jiff-mpc 1.0.0, its own JIFFServer), 60 s per run',
  );
  const jiff: Record<string, unknown>[] = [];
  for (const work of ['sum', 'multiply'] as const) {
    for (const variant of ['default-prime', 'bignumber-2^61'] as StockJiffVariant[]) {
      for (const m of sizes) {
        const run = await benchStockJiff({ work, m, variant, timeoutMs: 60_000 });
        const ours = native.find((n) => n.work === work && n.m === m);
        const ratio = run.finished && ours ? run.wallMs / ours.wallMs : undefined;
        jiff.push({ work, variant, m, ...run, oursOverJiffThroughput: ratio ?? null });
        print(
          `  ${work.padEnd(8)} ${variant.padEnd(15)} m=${fmt(m).padStart(9)}  ` +
            (run.finished
              ? `${fmt(run.wallMs, 1).padStart(9)} ms  ${fmt(run.elementsPerSecond, 1).padStart(8)} elements/s  ` +
                `${fmt(run.bytesSentPerParty).padStart(11)} bytes/party  ${run.correct ? 'correct' : 'WRONG'}  ours/JIFF ${fmt(ratio ?? Number.NaN, 1)}×`
              : `did not finish in 60 s${run.note ? ` (${run.note.slice(0, 80)})` : ''}`),
        );
        if (!run.finished) break; // larger m will not finish either
      }
    }
  }
  figures.stockJiff = jiff;
  const bestJiff = Math.max(...jiff.map((j) => (j.finished ? Number(j.elementsPerSecond) : 0)));
  const bestOurs = Math.max(...native.map((n) => n.elementsPerSecond));
  figures.bestThroughput = { ours: bestOurs, stockJiff: bestJiff, ratio: bestOurs / bestJiff };
  print(
    `  best throughput: ours ${fmt(bestOurs)} elements/s, stock JIFF ${fmt(bestJiff, 1)} elements/s: ${fmt(bestOurs / bestJiff)}×`,
  );

  print(
    '\n(e) the medium city (one weekday of a 1M city): revenue per boarding end to end, against plaintext',
  );
  const medium = await benchMediumReport(options.quick ? 1 : 3);
  figures.mediumReport = medium;
  print(
    `  ${fmt(medium.taps)} fare transactions, ${fmt(medium.cells)} route × hour cells: MPC ${fmt(medium.mpcMs)} ms, ` +
      `plaintext ${fmt(medium.plaintextMs)} ms (MPC/plaintext ${fmt(medium.ratio, 2)}×; median of ${medium.runs})`,
  );

  print(
    '\n(f) the revenue-per-boarding report with every node on --engine jiff (stock jiff-mpc client) and on the native engine',
  );
  const engines = await benchJiffEngineReport(options.quick ? ['small'] : ['small', 'medium']);
  figures.jiffEngine = engines;
  for (const row of engines) {
    const describe = (r: (typeof row)['native']): string =>
      r.state === 'completed'
        ? `${fmt(r.wallMs).padStart(7)} ms wall (${fmt(r.dataMs)} ms data rounds)${r.correct ? '' : ' WRONG'}`
        : `${r.state}${r.note ? ` (${r.note.slice(0, 80)})` : ''}`;
    print(
      `  ${row.scale.padEnd(6)} ${fmt(row.native.cells).padStart(5)} cells  native ${describe(row.native)}`,
    );
    print(
      `  ${''.padEnd(6)} ${''.padStart(5)}        jiff   ${describe(row.jiff)}  JIFF/native ${fmt(row.ratio, 1)}×`,
    );
  }

  print('\nDP samplers (samples per second) and noise for a 10^5-cell release');
  const dp = await benchDpSamplers();
  figures.dp = dp;
  print(`  ${JSON.stringify(dp, null, 1).split('\n').join('\n  ')}`);

  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
    print(`\nfigures written to ${options.json}`);
  }
}

/** (g) concurrent reports through the real API: errors and time per phase. */
async function load(): Promise<void> {
  const batches = options.batches.split(',').map(Number);
  if (!batches.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= 1000))
    program.error('--batches must list sizes from 1 to 1000');
  const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  print(
    `Concord load run on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${database}`,
  );
  print('small city, revenue-per-boarding, one coordinator and three agency node processes');
  const maxRunning = options.maxRunning === undefined ? undefined : Number(options.maxRunning);
  if (maxRunning !== undefined && !(Number.isSafeInteger(maxRunning) && maxRunning >= 1))
    program.error('--max-running must be a positive integer');
  const figures = await benchLoad(batches, maxRunning);
  for (const batch of figures) {
    print(
      `\n${batch.concurrency} concurrent: ${batch.completed} completed, ${batch.errors.length} errors, ` +
        `batch wall ${fmt(batch.wallMs / 1000, 1)} s`,
    );
    for (const e of [...new Set(batch.errors)].slice(0, 5)) print(`  error: ${e}`);
    print(
      `  ${'phase'.padEnd(8)} ${['min', 'p50', 'p95', 'p99', 'max'].map((h) => h.padStart(9)).join('')}  (ms)`,
    );
    for (const phase of LOAD_PHASES) {
      const q = batch.phases[phase];
      print(
        `  ${phase.padEnd(8)} ${[q.min, q.p50, q.p95, q.p99, q.max].map((v) => fmt(v).padStart(9)).join('')}`,
      );
    }
  }
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify({ database, figures }, null, 2)}\n`);
    print(`\nfigures written to ${options.json}`);
  }
}

/** Full join runs predicted to take longer than this are extrapolated instead (linear in n). */
const JOIN_BUDGET_MS = 180_000;

/** (h) the private join (libs/private-join) in one process, against a plaintext intersection. */
async function join(): Promise<void> {
  print(
    `Concord private-join benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  print('ristretto255 via @noble/curves, one process, one core; tokens per second:');
  const sizes = options.quick ? [1e4] : [1e4, 1e5, 1e6];
  const figures = benchPrivateJoin(
    sizes,
    JOIN_BUDGET_MS,
    (row) => {
      const how = row.extrapolated
        ? `${fmt(row.ms / 1000, 1)} s EXTRAPOLATED (a full run would exceed ${fmt(JOIN_BUDGET_MS / 1000)} s; linear in tokens from the largest full run)`
        : `${fmt(row.ms / 1000, 2)} s`;
      print(
        `  taps ${fmt(row.taps).padStart(9)}  enrolled ${fmt(row.enrolled).padStart(7)}  ` +
          `intersection ${fmt(row.intersection).padStart(7)}  end to end ${how}  ` +
          `${fmt(row.bytesPerToken, 2)} bytes/token  plaintext ${fmt(row.plaintextMs, 3)} ms ` +
          `(private/plaintext ${fmt(row.ratioToPlaintext)}×)`,
      );
    },
    (rates, sample) => {
      for (const [name, value] of Object.entries(rates)) {
        print(`  ${name.padEnd(12)} ${fmt(value).padStart(10)} /s   (over ${fmt(sample)} tokens)`);
      }
      print('end to end (processor holds n tokens, 20 % enrolment list, 80 % of it tapping):');
    },
  );
  const threads = cpus().length;
  // Same step, same code path, back to back: one worker, then one per core.
  const single = await blindRateWithWorkers(2000, 1);
  const parallel = await blindRateWithWorkers(4000, threads);
  print(
    `one holder's blinding step (parse, blind, encode): 1 worker thread ${fmt(single)} elements/s, ` +
      `${threads} worker threads ${fmt(parallel)} elements/s (${fmt(parallel / single, 2)}×; ` +
      'other processes on this machine share these cores)',
  );
  const million = figures.sizes.find((s) => s.taps === 1e6);
  if (million) {
    print(
      `  10^6 target 60 s: ${fmt(million.ms / 1000, 1)} s, ${fmt(million.ms / 60_000, 1)}× over; ` +
        'bound by the constant-time scalar multiplication of @noble/curves (2 per token per list)',
    );
  }
  if (options.json) {
    writeFileSync(
      options.json,
      `${JSON.stringify({ ...figures, workerThreads: { threads, single, parallel } }, null, 2)}\n`,
    );
    print(`\nfigures written to ${options.json}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(
    `bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
