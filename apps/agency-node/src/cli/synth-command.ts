import cliProgress from 'cli-progress';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import {
  type CityManifest,
  cityFacts,
  generateCity,
  SCALE_NAMES,
  type ScaleName,
  writeCity,
  writeCityStreamParallel,
} from '#concord/synth';

export interface SynthCommandOptions {
  readonly scale: string;
  readonly out: string;
  readonly seed: string;
  readonly days?: string;
}

/** Rider shards per streamed day: one shard's taps are what a streamed day holds in memory. */
const SHARDS: Readonly<Record<ScaleName, number>> = { small: 1, medium: 4, large: 16 };
const REDRAW_MS = 100;
/** Days simulated at once, each in its own worker thread (the target machines have 2 cores). */
const DAY_WORKERS = Math.max(1, Math.min(2, availableParallelism()));

/**
 * `concord synth`: writes a seeded synthetic city (each agency's files in its real schema, the
 * public feed the coordinator builds grids from, manifest.json). One day of small or medium is
 * generated in memory; `large`, or several days at any scale, is streamed day by day, rider
 * shard by rider shard, straight to the files, so memory holds one shard and never the month.
 * Progress bars go to stderr (only on a terminal); the summary to stdout.
 */
export async function synthCommand(options: SynthCommandOptions): Promise<CityManifest> {
  const scale = options.scale as ScaleName;
  if (!SCALE_NAMES.includes(scale))
    throw new Error(`--scale must be one of ${SCALE_NAMES.join(', ')}`);
  if (!/^\d{1,20}$/.test(options.seed)) throw new Error('--seed must be a non-negative integer');
  const days = options.days === undefined ? 1 : Number(options.days);
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new Error('--days must be an integer from 1 to 366');
  const out = resolve(options.out);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(`${options.out} is not empty: choose a new output directory`);

  const started = Date.now();
  const progress = new Progress();
  let manifest: CityManifest;
  try {
    manifest =
      scale !== 'large' && days === 1
        ? inMemory(scale, options.seed, out, progress)
        : await streamed(scale, options.seed, days, out, progress);
  } finally {
    progress.stop();
  }
  const files = Object.values(manifest.files);
  const bytes = files.reduce((n, f) => n + f.bytes, 0);
  const rows = files.reduce((n, f) => n + f.rows, 0);
  process.stdout.write(
    `wrote a ${scale} city (seed ${manifest.seed}, ${manifest.serviceDates.length} service day(s) from ${manifest.serviceDates[0]}) to ${options.out}\n` +
      `  ${files.length} files, ${rows.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s; manifest.json lists their SHA-256\n`,
  );
  return manifest;
}

function inMemory(scale: ScaleName, seed: string, out: string, progress: Progress): CityManifest {
  const generating = progress.bar('generate', 1, 'city');
  progress.redraw();
  const city = generateCity({ seed, scale });
  const facts = cityFacts(city);
  const totalRows = Object.values(facts.rows).reduce((a, b) => a + b, 0);
  generating.update(1, { detail: `${totalRows.toLocaleString('en-US')} rows generated` });
  const rows = progress.bar('rows', totalRows, 'written');
  const files = progress.bar('files', Object.keys(facts.rows).length, 'written');
  progress.redraw();
  return writeCity(city, out, {
    onFile: (relative, file) => {
      rows.increment(file.rows);
      files.increment(1, { detail: relative });
      progress.tick();
    },
  });
}

function streamed(
  scale: ScaleName,
  seed: string,
  days: number,
  out: string,
  progress: Progress,
): Promise<CityManifest> {
  if (scale === 'large')
    progress.log(
      `large: about 4.8 M taps and 0.7 M counts per weekday; the 5.4 M riders and the static files first (about 30 s), then the days ${DAY_WORKERS} at a time in worker threads, about 40 s of CPU each (a 30-day month, 22 GB: 8 to 14 minutes measured on two otherwise idle 2-vCPU servers, 16 under other work; peak memory about 2.7 GB)\n`,
    );
  let riders: Bar | undefined;
  const dayBar = progress.bar('days', days, 'waiting for the static files');
  const files = progress.bar('files', 0, '');
  let fileCount = 0;
  let rows = 0;
  progress.redraw();
  return writeCityStreamParallel(
    { seed, scale, days, shards: SHARDS[scale] },
    out,
    {
      onRiders: (done, total) => {
        riders ??= progress.bar('riders', total, 'regenerated for the enrolment list');
        riders.update(done);
        progress.tick();
      },
      onFile: (relative) => {
        files.setTotal(++fileCount);
        files.update(fileCount, { detail: relative });
        progress.tick();
      },
      onRows: (kind, serviceDate, n) => {
        rows += n;
        dayBar.update(undefined, {
          detail: `${serviceDate}: ${rows.toLocaleString('en-US')} rows (${kind})`,
        });
        progress.tick();
      },
      onDay: () => {
        dayBar.increment(1);
        progress.redraw();
      },
    },
    DAY_WORKERS,
  );
}

interface Bar {
  update(value?: number, payload?: { detail: string }): void;
  increment(step: number, payload?: { detail: string }): void;
  setTotal(total: number): void;
}

/**
 * Bars on stderr, redrawn by hand: the generator is synchronous and starves the bars' timer.
 * Nothing is drawn when stderr is not a terminal (logs, CI, tests).
 */
class Progress {
  private readonly drawing = process.stderr.isTTY === true;
  private readonly bars = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: '{name} [{bar}] {value}/{total} {detail}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  private last = 0;

  bar(name: string, total: number, detail: string): Bar {
    if (!this.drawing)
      return { update: () => undefined, increment: () => undefined, setTotal: () => undefined };
    const bar = this.bars.create(total, 0, { name: name.padEnd(8), detail });
    return {
      update: (value, payload) =>
        value === undefined ? bar.update(payload ?? {}) : bar.update(value, payload),
      increment: (step, payload) => bar.increment(step, payload),
      setTotal: (total) => bar.setTotal(total),
    };
  }

  log(text: string): void {
    if (this.drawing) this.bars.log(text);
    else process.stderr.write(text);
  }

  tick(): void {
    if (Date.now() - this.last >= REDRAW_MS) this.redraw();
  }

  redraw(): void {
    if (!this.drawing) return;
    this.last = Date.now();
    this.bars.update();
  }

  stop(): void {
    this.bars.stop();
  }
}
