import 'reflect-metadata';
import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { type BenchMode, BenchReporter, type BenchRow } from './bench-report.js';
import { startBenchConsortium } from './bench-consortium.js';
import { benchDpSamplers, type DpSamplerFigures } from './dp-samplers.js';
import { benchDownloads } from './download-mode.js';
import { benchStockJiff, type StockJiffVariant } from './jiff-baseline.js';
import { benchJiffEngineReport, type EngineReportRun } from './jiff-engine-report.js';
import { benchLoad, LOAD_PHASES } from './load.js';
import { benchJoinReport, benchOdDistricts } from './join-report.js';
import { benchLargeReport } from './large-report.js';
import { benchMediumReport } from './medium-report.js';
import { benchProtocol } from './bench-protocols.js';
import { type NativeRun, runNative } from './native-mpc.js';
import { runPlaintext } from './plaintext.js';
import { benchPrivateJoin, blindRateWithWorkers, joinWithWorkers } from './private-join.js';

/**
 * `npm run bench`: prints figures and ratios; with `--json` the same rows as one JSON document
 * (schema in bench-report.ts and docs/performance.md) on stdout, the text then on stderr.
 * Nothing here asserts a speed; tests never time anything.
 */
const program = new Command('bench')
  .option(
    '--json [file]',
    'the figures as one JSON document (schema concord-bench/1): on stdout, the text moving to stderr; or into <file>',
  )
  .option('--quick', 'sizes up to 10^5 only, one run each')
  .option('--runs <n>', 'runs per size of (a) and (b); the median is reported', '3')
  .option('--load', 'only the load run: 50, then 200 concurrent small-city reports')
  .option(
    '--download',
    'only the download run: one 10^6-cell report (10^5 with --quick), read back as JSON, CSV and Arrow',
  )
  .option(
    '--join',
    'only the private join: group-operation rates, then 10^4, 10^5 and 10^6 tokens end to end',
  )
  .option(
    '--large',
    "only the large city: generate it with concord synth's streaming writer, then run revenue-per-boarding through the coordinator and three nodes (revenue-per-boarding-30-days over a 30-day city, else over its first day)",
  )
  .option('--large-days <n>', 'with --large: service days to generate (1 to 30)', '1')
  .option(
    '--large-city <dir>',
    'with --large: a large city concord synth wrote before (--large-days its days), instead of generating one',
  )
  .option('--batches <sizes>', 'with --load: the batch sizes, comma-separated', '50,200')
  .option(
    '--max-running <n>',
    "with --load: the coordinator's MAX_RUNNING_SESSIONS (default: its own default)",
  )
  .option(
    '--join-sizes <sizes>',
    'with --join: the end-to-end token counts, comma-separated (default 10^4, 10^5, 10^6; 10^4 with --quick)',
  )
  .option(
    '--join-sample <n>',
    'with --join: tokens timed per group-operation rate (default 2000; the worker step times 1× and 2× this)',
    '2000',
  )
  .option(
    '--join-od-zones <sizes>',
    'with --join: also reduced-fare-od-flows on the medium city over districts of its first n zones, comma-separated (e.g. 5,12,15,16; 16 is past the plan bound)',
  )
  .option(
    '--no-join-report',
    "with --join: skip the medium city's reduced-fare report through the coordinator and nodes",
  )
  .parse();
const options = program.opts<{
  joinSample: string;
  joinReport: boolean;
  json?: string | true;
  joinSizes?: string;
  joinOdZones?: string;
  quick?: boolean;
  runs: string;
  load?: boolean;
  join?: boolean;
  download?: boolean;
  large?: boolean;
  largeDays: string;
  largeCity?: string;
  batches: string;
  maxRunning?: string;
}>();
const runs = options.quick ? 1 : Number(options.runs);
if (!Number.isSafeInteger(runs) || runs < 1 || runs > 3) program.error('--runs must be 1, 2 or 3');
const sizes = options.quick ? [1e3, 1e4, 1e5] : [1e3, 1e4, 1e5, 1e6];

// With `--json` alone stdout carries the JSON document and nothing else: the text goes to stderr,
// and so does anything else written to process.stdout in this process (a stray console.log would
// otherwise corrupt the document a machine reads).
const jsonToStdout = options.json === true;
const writeStdout = process.stdout.write.bind(process.stdout);
if (jsonToStdout) process.stdout.write = process.stderr.write.bind(process.stderr);
const text = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Renders the rows as JSON where `--json` asked for it. */
function finish(reporter: BenchReporter): void {
  const json = `${JSON.stringify(reporter.report(), null, 2)}\n`;
  if (jsonToStdout) {
    writeStdout(json);
  } else if (typeof options.json === 'string') {
    writeFileSync(options.json, json);
    reporter.print(`\nfigures written to ${options.json}`);
  }
}

function reporterFor(mode: BenchMode, shape: Record<string, unknown>): BenchReporter {
  return new BenchReporter(mode, shape, text);
}
const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main(): Promise<void> {
  if (options.load) return load();
  if (options.join) return join();
  if (options.download) return download();
  if (options.large) return large();
  const r = reporterFor(options.quick ? 'quick' : 'full', { runs, sizes });
  const print = (line = ''): void => r.print(line);
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
  /** Our wall-time row per work and size: the baseline of the stock JIFF rows. */
  const oursWall = new Map<string, BenchRow>();
  const oursThroughput: number[] = [];
  try {
    let day = 1;
    for (const work of ['sum', 'multiply'] as const) {
      for (const m of sizes) {
        // Each run is its own report (its own ledger day); the median run is reported.
        const all: NativeRun[] = [];
        for (let i = 0; i < runs; i++) all.push(await runNative(bench, work, m, day++));
        const sorted = [...all].sort((a, b) => a.wallMs - b.wallMs);
        const run = { ...sorted[(sorted.length - 1) >> 1], correct: all.every((x) => x.correct) };
        const spread = runs > 1 ? ` [${sorted.map((x) => fmt(x.wallMs)).join(', ')}]` : '';
        const plain = runPlaintext(work, m);
        const key = `native.${work}.m${m}`;
        const plainRow = r.add({
          id: `${key}.plaintext`,
          group: 'native',
          description: `the same ${work} in plaintext in one process (same-process baseline)`,
          unit: 'ms',
          value: plain.ms,
          n: m,
        });
        const wall = r.add(
          {
            id: `${key}.wall`,
            group: 'native',
            description: `shared ${work} through the real coordinator, request to the values decoded from the report's Arrow download (median run); ratio is MPC/plaintext`,
            unit: 'ms',
            value: run.wallMs,
            n: m,
            runs: all.map((x) => x.wallMs),
            correct: run.correct,
            notes: `report state ${run.state}`,
          },
          plainRow,
        );
        oursWall.set(`${work}.${m}`, wall);
        r.add({
          id: `${key}.read`,
          group: 'native',
          description: `shared ${work}: of the wall time, completed report to its values decoded from the Arrow download (median run)`,
          unit: 'ms',
          value: run.readMs,
          n: m,
        });
        r.add({
          id: `${key}.rounds`,
          group: 'native',
          description: `shared ${work}: first input envelope to released results (median run)`,
          unit: 'ms',
          value: run.protocolMs,
          n: m,
        });
        r.add({
          id: `${key}.throughput`,
          group: 'native',
          description: `shared ${work}: elements per second of wall time (median run)`,
          unit: 'elements/s',
          value: run.elementsPerSecond,
          n: m,
        });
        oursThroughput.push(run.elementsPerSecond);
        const cpu = run.cpuMs.coordinator + run.cpuMs.nodes + run.cpuMs.client;
        // No row without /proc (the schema's values are finite numbers).
        if (Number.isFinite(cpu))
          r.add({
            id: `${key}.cpu`,
            group: 'native',
            description: `shared ${work}: CPU time of all processes during the wall time (median run), from /proc: the coordinator (with its embedded database), the three nodes, the analyst's client`,
            unit: 'ms',
            value: cpu,
            n: m,
            notes: `coordinator ${fmt(run.cpuMs.coordinator)} ms, nodes ${fmt(run.cpuMs.nodes)} ms together, client ${fmt(run.cpuMs.client)} ms`,
          });
        r.add({
          id: `${key}.bytes`,
          group: 'native',
          description: `shared ${work}: bytes sent per party (median run)`,
          unit: 'bytes/party',
          value: run.bytesSentPerParty,
          n: m,
        });
        print(
          `  ${work.padEnd(8)} m=${fmt(m).padStart(9)}  ${run.state}${run.correct ? '' : ' (WRONG)'}  ` +
            `${fmt(run.wallMs, 1).padStart(8)} ms wall${spread} (${fmt(run.protocolMs)} ms in rounds)  ` +
            `${fmt(run.elementsPerSecond).padStart(11)} elements/s  ${fmt(run.bytesSentPerParty).padStart(12)} bytes/party  ` +
            `plaintext ${fmt(plain.ms, 3)} ms (MPC/plaintext ${fmt(wall.ratio ?? Number.NaN)}×)  ` +
            `CPU ${Number.isFinite(cpu) ? fmt(cpu) : 'unknown'} ms (coordinator ${fmt(run.cpuMs.coordinator)}, nodes ${fmt(run.cpuMs.nodes)}, client ${fmt(run.cpuMs.client)})`,
        );
      }
    }
  } finally {
    await bench.stop();
  }

  print(
    '\n(c) the same work by the stock JIFF client (jiff-mpc 1.0.0, its own JIFFServer), 60 s per run',
  );
  const jiffThroughput: number[] = [];
  for (const work of ['sum', 'multiply'] as const) {
    for (const variant of ['default-prime', 'bignumber-2^61'] as StockJiffVariant[]) {
      for (const m of sizes) {
        const run = await benchStockJiff({ work, m, variant, timeoutMs: 60_000 });
        const status = run.finished ? 'measured' : 'did-not-finish';
        const key = `stock-jiff.${work}.${variant}.m${m}`;
        const notes = run.finished
          ? undefined
          : `did not finish in 60 s${run.note ? `: ${run.note}` : ''}`;
        const wall = r.add(
          {
            id: `${key}.wall`,
            group: 'stock-jiff',
            description: `stock JIFF ${work} (${variant}), first share to all parties holding the results (elapsed time if unfinished); ratio is JIFF/ours wall time, i.e. ours/JIFF throughput`,
            unit: 'ms',
            value: run.wallMs,
            status,
            n: m,
            correct: run.correct,
            ...(notes ? { notes } : {}),
          },
          oursWall.get(`${work}.${m}`),
        );
        if (run.finished) {
          r.add({
            id: `${key}.throughput`,
            group: 'stock-jiff',
            description: `stock JIFF ${work} (${variant}): elements per second`,
            unit: 'elements/s',
            value: run.elementsPerSecond,
            n: m,
          });
          jiffThroughput.push(run.elementsPerSecond);
        }
        r.add({
          id: `${key}.bytes`,
          group: 'stock-jiff',
          description: `stock JIFF ${work} (${variant}): bytes each client wrote to its sockets (a lower bound if unfinished)`,
          unit: 'bytes/party',
          value: run.bytesSentPerParty,
          status,
          n: m,
        });
        print(
          `  ${work.padEnd(8)} ${variant.padEnd(15)} m=${fmt(m).padStart(9)}  ` +
            (run.finished
              ? `${fmt(run.wallMs, 1).padStart(9)} ms  ${fmt(run.elementsPerSecond, 1).padStart(8)} elements/s  ` +
                `${fmt(run.bytesSentPerParty).padStart(11)} bytes/party  ${run.correct ? 'correct' : 'WRONG'}  ours/JIFF ${fmt(wall.ratio ?? Number.NaN, 1)}×`
              : `did not finish in 60 s${run.note ? ` (${run.note.slice(0, 80)})` : ''}`),
        );
        if (!run.finished) break; // larger m will not finish either
      }
    }
  }
  const bestJiff = r.add({
    id: 'stock-jiff.best.throughput',
    group: 'stock-jiff',
    description: 'best stock JIFF throughput over every finished run (0 if none finished)',
    unit: 'elements/s',
    value: Math.max(0, ...jiffThroughput),
  });
  const bestOurs = r.add(
    {
      id: 'native.best.throughput',
      group: 'stock-jiff',
      description: 'best native throughput over every size and work; ratio is ours/stock JIFF',
      unit: 'elements/s',
      value: Math.max(...oursThroughput),
    },
    bestJiff,
  );
  print(
    `  best throughput: ours ${fmt(bestOurs.value)} elements/s, stock JIFF ${fmt(bestJiff.value, 1)} elements/s: ${fmt(bestOurs.ratio ?? Number.NaN)}×`,
  );

  print(
    '\n(e) the medium city (one weekday of a 1M city): revenue per boarding end to end, against plaintext',
  );
  const medium = await benchMediumReport(options.quick ? 1 : 3);
  r.add({
    id: 'medium.taps',
    group: 'medium',
    description: 'fare transactions in the medium city weekday',
    unit: 'count',
    value: medium.taps,
  });
  r.add({
    id: 'medium.cells',
    group: 'medium',
    description: 'route × hour cells of the report',
    unit: 'count',
    value: medium.cells,
  });
  const mediumPlain = r.add({
    id: 'medium.plaintext',
    group: 'medium',
    description: `the same report in plaintext in one process (median of ${medium.runs})`,
    unit: 'ms',
    value: medium.plaintextMs,
    n: medium.taps,
  });
  const mediumMpc = r.add(
    {
      id: 'medium.mpc',
      group: 'medium',
      description: `revenue per boarding end to end through coordinator and nodes (median of ${medium.runs}); ratio is MPC/plaintext`,
      unit: 'ms',
      value: medium.mpcMs,
      n: medium.taps,
    },
    mediumPlain,
  );
  print(
    `  ${fmt(medium.taps)} fare transactions, ${fmt(medium.cells)} route × hour cells: MPC ${fmt(medium.mpcMs)} ms, ` +
      `plaintext ${fmt(medium.plaintextMs)} ms (MPC/plaintext ${fmt(mediumMpc.ratio ?? Number.NaN, 2)}×; median of ${medium.runs})`,
  );

  print(
    '\n(f) the revenue-per-boarding report with every node on --engine jiff (stock jiff-mpc client) and on the native engine',
  );
  const engines = await benchJiffEngineReport(options.quick ? ['small'] : ['small', 'medium']);
  for (const row of engines) {
    const rowsOf = (run: EngineReportRun, baseline?: BenchRow): BenchRow => {
      const status = run.state === 'completed' ? 'measured' : 'did-not-finish';
      const key = `engines.${row.scale}.${run.engine}`;
      const notes =
        run.state === 'completed' ? undefined : `${run.state}${run.note ? `: ${run.note}` : ''}`;
      const wall = r.add(
        {
          id: `${key}.wall`,
          group: 'engines',
          description: `${row.scale} city report on the ${run.engine} engine, request to completed report${baseline ? '; ratio is JIFF/native' : ''}`,
          unit: 'ms',
          value: run.wallMs,
          status,
          n: run.cells,
          correct: run.correct,
          ...(notes ? { notes } : {}),
        },
        baseline,
      );
      r.add({
        id: `${key}.data`,
        group: 'engines',
        description: `${row.scale} city report on the ${run.engine} engine, data rounds`,
        unit: 'ms',
        value: run.dataMs,
        status,
        n: run.cells,
      });
      return wall;
    };
    const nativeWall = rowsOf(row.native);
    const jiffWall = rowsOf(row.jiff, nativeWall);
    const describe = (run: EngineReportRun): string =>
      run.state === 'completed'
        ? `${fmt(run.wallMs).padStart(7)} ms wall (${fmt(run.dataMs)} ms data rounds)${run.correct ? '' : ' WRONG'}`
        : `${run.state}${run.note ? ` (${run.note.slice(0, 80)})` : ''}`;
    print(
      `  ${row.scale.padEnd(6)} ${fmt(row.native.cells).padStart(5)} cells  native ${describe(row.native)}`,
    );
    print(
      `  ${''.padEnd(6)} ${''.padStart(5)}        jiff   ${describe(row.jiff)}  JIFF/native ${fmt(jiffWall.ratio ?? Number.NaN, 1)}×`,
    );
  }

  print('\nDP samplers (samples per second) and noise for a 10^5-cell release');
  const dp = await benchDpSamplers();
  addDpRows(r, dp);
  print(`  ${JSON.stringify(dp, null, 1).split('\n').join('\n  ')}`);

  finish(r);
}

/** The DP sampler figures as rows (the text prints them as one JSON object, as before). */
function addDpRows(r: BenchReporter, dp: DpSamplerFigures): void {
  const group = 'dp';
  for (const s of dp.discreteGaussian)
    r.add({
      id: `dp.discrete-gaussian.${s.output}.budget-${s.budget}`,
      group,
      description: `discrete Gaussian share sampler for output ${s.output} at budget ${s.budget} (σ² per share ${s.shareSigma2})`,
      unit: 'samples/s',
      value: s.samplesPerSecond,
    });
  for (const s of dp.polya)
    r.add({
      id: `dp.polya.b${s.b}`,
      group,
      description: `distributed Laplace (Pólya) share, b = ${s.b}, ${s.honestParties} honest parties`,
      unit: 'shares/s',
      value: s.sharesPerSecond,
    });
  for (const s of dp.discreteLaplace)
    r.add({
      id: `dp.discrete-laplace.b${s.b}`,
      group,
      description: `discrete Laplace sampler, b = ${s.b}`,
      unit: 'samples/s',
      value: s.samplesPerSecond,
    });
  for (const s of dp.randomBelow)
    r.add({
      id: `dp.random-below.${s.bound.replace(/ /g, '')}`,
      group,
      description: `uniform draw below ${s.bound} (${s.path} path)`,
      unit: 'draws/s',
      value: s.drawsPerSecond,
    });
  for (const s of dp.release100k)
    r.add({
      id: `dp.release.${s.output}.budget-${s.budget}`,
      group,
      description: `one party's noise for a ${s.cells}-cell release of ${s.output} at budget ${s.budget}`,
      unit: 'ms',
      value: s.samplingMs,
      n: s.cells,
    });
}

/** (g) concurrent reports through the real API: errors and time per phase. */
async function load(): Promise<void> {
  const batches = options.batches.split(',').map(Number);
  if (!batches.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= 1000))
    program.error('--batches must list sizes from 1 to 1000');
  const maxRunning = options.maxRunning === undefined ? undefined : Number(options.maxRunning);
  if (maxRunning !== undefined && !(Number.isSafeInteger(maxRunning) && maxRunning >= 1))
    program.error('--max-running must be a positive integer');
  const r = reporterFor('load', { batches, maxRunning: maxRunning ?? null });
  const print = (line = ''): void => r.print(line);
  const database = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
  print(
    `Concord load run on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${database}`,
  );
  print('small city, revenue-per-boarding, one coordinator and three agency node processes');
  const figures = await benchLoad(batches, maxRunning);
  for (const [i, batch] of figures.entries()) {
    // Batch 0 is the single report benchLoad runs first; sizes may repeat, so the index keys.
    const key = `load.batch${i}.c${batch.concurrency}`;
    const n = batch.concurrency;
    const errors = [...new Set(batch.errors)];
    r.add({
      id: `${key}.completed`,
      group: 'load',
      description: `${n} concurrent small-city reports: completed`,
      unit: 'count',
      value: batch.completed,
      n,
    });
    r.add({
      id: `${key}.errors`,
      group: 'load',
      description: `${n} concurrent small-city reports: errors`,
      unit: 'count',
      value: batch.errors.length,
      n,
      ...(errors.length ? { notes: errors.slice(0, 5).join(' | ') } : {}),
    });
    r.add({
      id: `${key}.wall`,
      group: 'load',
      description: `${n} concurrent small-city reports: batch wall time`,
      unit: 'ms',
      value: batch.wallMs,
      n,
    });
    print(
      `\n${batch.concurrency} concurrent: ${batch.completed} completed, ${batch.errors.length} errors, ` +
        `batch wall ${fmt(batch.wallMs / 1000, 1)} s`,
    );
    for (const e of errors.slice(0, 5)) print(`  error: ${e}`);
    print(
      `  ${'phase'.padEnd(8)} ${['min', 'p50', 'p95', 'p99', 'max'].map((h) => h.padStart(9)).join('')}  (ms)`,
    );
    for (const phase of LOAD_PHASES) {
      const q = batch.phases[phase];
      for (const quantile of ['min', 'p50', 'p95', 'p99', 'max'] as const)
        r.add({
          id: `${key}.${phase}.${quantile}`,
          group: 'load',
          description: `${n} concurrent: ${quantile} of the ${phase} phase over the completed reports`,
          unit: 'ms',
          value: q[quantile],
          n,
        });
      print(
        `  ${phase.padEnd(8)} ${[q.min, q.p50, q.p95, q.p99, q.max].map((v) => fmt(v).padStart(9)).join('')}`,
      );
    }
  }
  finish(r);
}

/** Full join runs predicted to take longer than this are extrapolated instead (linear in n). */
const JOIN_BUDGET_MS = 180_000;
/**
 * Runs on worker threads predicted to take longer than this are left out: enough for 10^6 tokens
 * here (about 3 minutes), the size the target names.
 */
const JOIN_WORKERS_BUDGET_MS = 360_000;
/** The goal for 10^6 tokens end to end; the text reports how far over it a run is. */
const JOIN_TARGET_MS = 60_000;

/** (h) the private join (libs/private-join) in one process, against a plaintext intersection. */
async function join(): Promise<void> {
  const sizes = options.joinSizes
    ? options.joinSizes.split(',').map(Number)
    : options.quick
      ? [1e4]
      : [1e4, 1e5, 1e6];
  if (!sizes.every((n) => Number.isSafeInteger(n) && n >= 10 && n <= 1e7))
    program.error('--join-sizes must list token counts from 10 to 10^7');
  const sample = Number(options.joinSample);
  if (!(Number.isSafeInteger(sample) && sample >= 200 && sample <= 1e6))
    program.error('--join-sample must be from 200 to 10^6');
  const r = reporterFor('join', { sizes, sample, budgetMs: JOIN_BUDGET_MS });
  const print = (line = ''): void => r.print(line);
  print(
    `Concord private-join benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  print(
    'ristretto255 via libsodium (WebAssembly; @noble/curves as the baseline rows), one process, one core; tokens per second:',
  );
  const figures = benchPrivateJoin(
    sizes,
    sample,
    JOIN_BUDGET_MS,
    (row) => {
      const key = `join.n${row.taps}`;
      const status = row.extrapolated ? 'extrapolated' : 'measured';
      const counts = { taps: row.taps, enrolled: row.enrolled, intersection: row.intersection };
      for (const [what, value] of Object.entries(counts))
        r.add({
          id: `${key}.${what}`,
          group: 'join',
          description: `${what} tokens of the ${row.taps}-token join`,
          unit: 'count',
          value,
          n: row.taps,
        });
      const plain = r.add({
        id: `${key}.plaintext`,
        group: 'join',
        description: 'plaintext hash-set intersection of the same lists (same-process baseline)',
        unit: 'ms',
        value: row.plaintextMs,
        n: row.taps,
      });
      const endToEnd = r.add(
        {
          id: `${key}.end-to-end`,
          group: 'join',
          description: 'private join end to end, in process; ratio is private/plaintext',
          unit: 'ms',
          value: row.ms,
          status,
          n: row.taps,
          ...(row.extrapolated
            ? {
                notes: `a full run would exceed ${JOIN_BUDGET_MS} ms; linear in tokens from the largest full run`,
              }
            : {}),
        },
        plain,
      );
      r.add({
        id: `${key}.bytes-per-token`,
        group: 'join',
        description: 'bytes sent per token',
        unit: 'bytes/token',
        value: row.bytesPerToken,
        status,
        n: row.taps,
      });
      const how = row.extrapolated
        ? `${fmt(row.ms / 1000, 1)} s EXTRAPOLATED (a full run would exceed ${fmt(JOIN_BUDGET_MS / 1000)} s; linear in tokens from the largest full run)`
        : `${fmt(row.ms / 1000, 2)} s`;
      print(
        `  taps ${fmt(row.taps).padStart(9)}  enrolled ${fmt(row.enrolled).padStart(7)}  ` +
          `intersection ${fmt(row.intersection).padStart(7)}  end to end ${how}  ` +
          `${fmt(row.bytesPerToken, 2)} bytes/token  plaintext ${fmt(row.plaintextMs, 3)} ms ` +
          `(private/plaintext ${fmt(endToEnd.ratio ?? Number.NaN)}×)`,
      );
    },
    (rates, sample) => {
      for (const [name, value] of Object.entries(rates)) {
        r.add({
          id: `join.rate.${name}`,
          group: 'join',
          description: `${name} on one core, over ${sample} tokens after a warm-up`,
          unit: 'tokens/s',
          value,
          n: sample,
        });
        print(`  ${name.padEnd(17)} ${fmt(value).padStart(10)} /s   (over ${fmt(sample)} tokens)`);
      }
      print('end to end (processor holds n tokens, 20 % enrolment list, 80 % of it tapping):');
    },
  );
  const threads = cpus().length;
  // Same step, same code path, back to back: one worker, then one per core.
  const single = r.add({
    id: 'join.blind-step.workers-1',
    group: 'join',
    description: "one holder's blinding step (parse, blind, encode) on 1 worker thread",
    unit: 'elements/s',
    value: await blindRateWithWorkers(sample, 1),
    n: sample,
  });
  const parallel = r.add(
    {
      id: `join.blind-step.workers-${threads}`,
      group: 'join',
      description: `the same step on ${threads} worker threads (one per core); ratio is the speed-up over 1 worker`,
      unit: 'elements/s',
      value: await blindRateWithWorkers(2 * sample, threads),
      n: 2 * sample,
      notes: 'other processes on this machine share these cores',
    },
    single,
  );
  print(
    `one holder's blinding step (parse, blind, encode): 1 worker thread ${fmt(single.value)} elements/s, ` +
      `${threads} worker threads ${fmt(parallel.value)} elements/s (${fmt(parallel.ratio ?? Number.NaN, 2)}×; ` +
      'other processes on this machine share these cores)',
  );
  print(
    `end to end with each holder's passes on ${threads} worker threads (both holders at once, sharing these cores), against plaintext:`,
  );
  const onWorkers = new Map<number, number>();
  let last: { taps: number; ms: number } | undefined;
  for (const size of figures.sizes) {
    // Predicted from the last run on workers (linear in tokens), else from the one-core run; a
    // run that would exceed the budget is left out, not guessed.
    const predicted = last ? (last.ms * size.taps) / last.taps : size.ms / threads;
    if (predicted > JOIN_WORKERS_BUDGET_MS) continue;
    const w = await joinWithWorkers(size.taps, threads);
    last = w;
    const plain = r.add({
      id: `join.n${w.taps}.workers-${threads}.plaintext`,
      group: 'join',
      description: 'plaintext hash-set intersection of the same lists (same-process baseline)',
      unit: 'ms',
      value: w.plaintextMs,
      n: w.taps,
    });
    const row = r.add(
      {
        id: `join.n${w.taps}.workers-${threads}.end-to-end`,
        group: 'join',
        description: `private join end to end in process, each holder's passes on ${threads} worker threads; ratio is private/plaintext`,
        unit: 'ms',
        value: w.ms,
        n: w.taps,
        notes: `first passes ${Math.round(w.phases.first)} ms, answers ${Math.round(w.phases.answers)} ms, matching ${Math.round(w.phases.match)} ms`,
      },
      plain,
    );
    onWorkers.set(w.taps, w.ms);
    print(
      `  taps ${fmt(w.taps).padStart(9)}  enrolled ${fmt(w.enrolled).padStart(7)}  end to end ${fmt(w.ms / 1000, 2)} s ` +
        `(first passes ${fmt(w.phases.first / 1000, 2)} s, answers ${fmt(w.phases.answers / 1000, 2)} s, ` +
        `matching ${fmt(w.phases.match / 1000, 2)} s)  private/plaintext ${fmt(row.ratio ?? Number.NaN)}×`,
    );
  }
  if (options.joinReport) await joinReport(r);
  if (options.joinOdZones) await odDistricts(r, options.joinOdZones);
  const oneCore = figures.sizes.find((s) => s.taps === 1e6);
  const workersMs = onWorkers.get(1e6);
  const million =
    workersMs === undefined
      ? oneCore
      : oneCore && { ...oneCore, ms: workersMs, extrapolated: false };
  if (million) {
    const target = r.add({
      id: 'join.n1000000.target',
      group: 'join',
      description: 'the goal for 10^6 tokens end to end (a target, not a measurement)',
      unit: 'ms',
      value: JOIN_TARGET_MS,
      n: 1e6,
    });
    const over = r.add(
      {
        id: 'join.n1000000.against-target',
        group: 'join',
        description: '10^6 tokens end to end against the target; ratio is how many times over',
        unit: 'ms',
        value: million.ms,
        status: million.extrapolated ? 'extrapolated' : 'measured',
        n: 1e6,
        notes: `${workersMs === undefined ? 'one core' : `${threads} worker threads`}; bound by the constant-time scalar multiplication (libsodium; 2 per token per list)`,
      },
      target,
    );
    print(
      `  10^6 target 60 s: ${fmt(million.ms / 1000, 1)} s, ${fmt(over.ratio ?? Number.NaN, 1)}× over; ` +
        'bound by the constant-time scalar multiplication (libsodium; 2 per token per list)',
    );
  }
  finish(r);
}

/** How long a completed release takes to read back as a file (docs/performance.md, 'Downloads'). */
async function download(): Promise<void> {
  const cells = options.quick ? 1e5 : 1e6;
  const r = reporterFor('download', { cells, runs });
  r.print(
    `Concord download run on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  await benchDownloads(r, cells, runs, fmt);
  finish(r);
}

/** (k) the large city: generated by the streaming writer, one day's report through the real path. */
async function large(): Promise<void> {
  const days = Number(options.largeDays);
  if (!Number.isSafeInteger(days) || days < 1 || days > 30)
    program.error('--large-days must be from 1 to 30');
  const r = reporterFor('large', { days });
  r.print(
    `Concord large-city run on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  const f = await benchLargeReport(days, options.largeCity);
  if (f.generateMs !== undefined)
    r.add({
      id: `large.generate.d${days}`,
      group: 'large',
      description: `concord synth --scale large --days ${days} (streaming writer, days on 2 worker threads)`,
      unit: 'ms',
      value: f.generateMs,
      n: f.taps,
    });
  const over = days === 30 ? 'the 30 days' : 'the first day';
  r.add({
    id: `large.coverage.d${days}`,
    group: 'large',
    description:
      'nodes started to every input of the protocol announced its dates (each node scans its files once)',
    unit: 'ms',
    value: f.coverageMs,
  });
  const plaintext = r.add({
    id: `large.plaintext.d${days}.wall`,
    group: 'large',
    description: `${f.protocol}'s two connectors over ${over} in one process, one after the other (same-script baseline)`,
    unit: 'ms',
    value: f.plaintextMs,
    n: f.taps,
  });
  r.add(
    {
      id: `large.report.d${days}.wall`,
      group: 'large',
      description: `${f.protocol} over ${over}, request to completed, coordinator and 3 nodes`,
      unit: 'ms',
      value: f.reportMs,
      n: f.taps,
    },
    plaintext,
  );
  for (const [process, mb] of Object.entries(f.peakRssMb))
    r.add({
      id: `large.report.d${days}.peak-rss.${process}`,
      group: 'large',
      description: `peak resident memory of the ${process} process over the run (VmHWM)`,
      unit: 'MB',
      value: mb,
    });
  for (const [process, seconds] of Object.entries(f.cpuSeconds))
    r.add({
      id: `large.report.d${days}.cpu.${process}`,
      group: 'large',
      description: `user + system CPU of the ${process} process over the run (start-up included)`,
      unit: 's',
      value: seconds,
    });
  r.add({
    id: `large.report.d${days}.envelope-bytes.in`,
    group: 'large',
    description: 'sealed data-round envelope bytes the three nodes sent the coordinator, together',
    unit: 'bytes',
    value: f.envelopeBytesIn,
  });
  r.print(
    `  ${fmt(f.taps)} fare rows over ${days} day(s)` +
      (f.generateMs === undefined
        ? ' (written before)'
        : ` generated in ${fmt(f.generateMs / 1000, 1)} s`) +
      `; coverage announced after ${fmt(f.coverageMs / 1000, 1)} s` +
      `; ${f.protocol} over ${over} in ${fmt(f.reportMs / 1000, 1)} s` +
      ` (${fmt(f.reportMs / f.plaintextMs, 2)}× the ${fmt(f.plaintextMs / 1000, 1)} s of its connectors in plaintext)` +
      `; peak RSS ${Object.entries(f.peakRssMb)
        .map(([p, mb]) => `${p} ${fmt(mb)} MB`)
        .join(', ')}; CPU ${Object.entries(f.cpuSeconds)
        .map(([p, s]) => `${p} ${fmt(s, 1)} s`)
        .join(', ')}; ${fmt(f.envelopeBytesIn / 1e6, 1)} MB of envelopes sent`,
  );
  finish(r);
}

/** The medium city's reduced-fare-use report end to end, against the same report in plaintext. */
/** Origin–destination flows over districts of the medium city (an axis selection). */
async function odDistricts(r: BenchReporter, sizes: string): Promise<void> {
  const zones = sizes.split(',').map(Number);
  if (!zones.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= 250))
    program.error('--join-od-zones must list zone counts from 1 to 250');
  r.print(
    '\nreduced-fare-od-flows on the medium city over its first n zones (from_zone and to_zone selected), request to completed:',
  );
  for (const f of await benchOdDistricts(zones)) {
    if (f.ms === undefined) {
      r.print(`  ${fmt(f.zones)} zones: refused before any charge (${f.refusal ?? ''})`);
      continue;
    }
    r.add({
      id: `join.od-district.z${f.zones}`,
      group: 'join',
      description: `reduced-fare-od-flows over ${f.zones} of the medium city's zones (${f.cells ?? 0} zone pairs), request to completed`,
      unit: 'ms',
      value: f.ms,
      n: f.zones,
    });
    r.print(`  ${fmt(f.zones)} zones (${fmt(f.cells ?? 0)} zone pairs): ${fmt(f.ms / 1000, 1)} s`);
  }
}

async function joinReport(r: BenchReporter): Promise<void> {
  const print = (line = ''): void => r.print(line);
  print(
    '\nthe medium city’s reduced-fare-use report (private join, then the shared sums) end to end through the coordinator and three node processes, against the same report in plaintext:',
  );
  const report = await benchJoinReport(options.quick ? 1 : 3);
  const reportPlain = r.add({
    id: 'join.medium-report.plaintext',
    group: 'join',
    description: `reduced-fare-use in plaintext in one process: connectors, hash-set join, sums (median of ${report.runs})`,
    unit: 'ms',
    value: report.plaintextMs,
    n: report.cards,
  });
  const reportMpc = r.add(
    {
      id: 'join.medium-report.mpc',
      group: 'join',
      description: `reduced-fare-use end to end through coordinator and nodes (median of ${report.runs}); ratio is MPC/plaintext`,
      unit: 'ms',
      value: report.mpcMs,
      n: report.cards,
    },
    reportPlain,
  );
  print(
    `  ${fmt(report.cards)} cards, ${fmt(report.enrolled)} enrolled: ${fmt(report.mpcMs / 1000, 2)} s ` +
      `(plaintext ${fmt(report.plaintextMs / 1000, 2)} s, ${fmt(reportMpc.ratio ?? Number.NaN, 1)}×; target 5 s)`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(
    `bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
