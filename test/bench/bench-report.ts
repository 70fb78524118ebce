import { cpus, freemem, loadavg, platform, totalmem } from 'node:os';

/**
 * The one machine-readable shape of `npm run bench` (every mode), documented in
 * docs/performance.md ("Machine-readable output"). Each mode adds its figures here as rows and
 * prints its text line from the same values, so the JSON and the text cannot disagree.
 * Bump the version when a field changes meaning or is removed; adding a field keeps it.
 */
export const BENCH_REPORT_SCHEMA = 'concord-bench/1';

/** `full` and `quick` are the default run (rows (a)–(f) and DP samplers); the others are one run each. */
export type BenchMode = 'full' | 'quick' | 'load' | 'join' | 'download' | 'large';

/**
 * How a row's value came about. `extrapolated`: predicted from a smaller full run (the full one
 * would exceed the budget); `did-not-finish`: the run hit its time limit or failed, and `value` is
 * the elapsed time or the lower bound reached (never a throughput to compare).
 */
export type BenchRowStatus = 'measured' | 'extrapolated' | 'did-not-finish';

/** The row another row is compared against, copied as measured in the same run. */
export interface BenchBaseline {
  readonly id: string;
  readonly value: number;
  readonly unit: string;
}

export interface BenchRow {
  /** Stable within a schema version: `<group>.<what>[.<size>]`, e.g. `native.sum.m1000.wall`. */
  readonly id: string;
  /** The section of the text output: `native`, `stock-jiff`, `medium`, `engines`, `dp`, `load`, `join`, `download`, `large`. */
  readonly group: string;
  readonly description: string;
  /** Always explicit: `ms`, `elements/s`, `bytes/party`, `count`, ... */
  readonly unit: string;
  readonly value: number;
  readonly status: BenchRowStatus;
  /** The problem size the row measures (elements, tokens, cells, concurrent reports). */
  readonly n?: number;
  /** Each run's value when the row is a median of several runs. */
  readonly runs?: readonly number[];
  /** Whether the result was checked correct, for rows that check it. */
  readonly correct?: boolean;
  readonly baseline: BenchBaseline | null;
  /**
   * `value / baseline.value`, computed from the two rows of this run; null when there is no
   * baseline or either side did not finish.
   */
  readonly ratio: number | null;
  readonly notes?: string;
}

export interface BenchMachine {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the shared cores. */
  readonly loadAverage: readonly number[];
  readonly totalMemoryBytes: number;
  readonly freeMemoryBytes: number;
  readonly database: 'postgresql' | 'pglite';
}

export interface BenchReport {
  readonly schema: typeof BENCH_REPORT_SCHEMA;
  readonly mode: BenchMode;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: BenchMachine;
  /** The command-line options that shaped the sizes (e.g. runs, batches, join sizes). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly rows: readonly BenchRow[];
}

/** A row as a mode states it; the baseline and ratio are filled in from the baseline row. */
export type BenchRowInput = Omit<BenchRow, 'baseline' | 'ratio' | 'status'> & {
  readonly status?: BenchRowStatus;
};

export function describeMachine(): BenchMachine {
  return {
    node: process.version,
    platform: platform(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: loadavg(),
    totalMemoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
  };
}

/** The ratio of a row to its baseline, or null where either is not a finished measurement. */
export function ratioTo(value: number, status: BenchRowStatus, baseline: BenchRow): number | null {
  if (status === 'did-not-finish' || baseline.status === 'did-not-finish') return null;
  if (!Number.isFinite(value) || !Number.isFinite(baseline.value) || baseline.value === 0)
    return null;
  return value / baseline.value;
}

/**
 * Collects one mode's rows and carries its text lines to `text` (stdout normally, stderr when
 * the JSON goes to stdout), then builds the report.
 */
export class BenchReporter {
  private readonly rows: BenchRow[] = [];
  private readonly startedAt = new Date().toISOString();
  private readonly machine = describeMachine();

  constructor(
    private readonly mode: BenchMode,
    private readonly options: Readonly<Record<string, unknown>>,
    private readonly text: (line: string) => void,
  ) {}

  /** One line of the human-readable output. */
  print(line = ''): void {
    this.text(line);
  }

  /** Adds a row; with `baseline`, copies its value and unit and computes the ratio now. */
  add(input: BenchRowInput, baseline?: BenchRow): BenchRow {
    if (this.rows.some((r) => r.id === input.id))
      throw new Error(`bench report: duplicate row id ${input.id}`);
    const status = input.status ?? 'measured';
    const row: BenchRow = {
      ...input,
      status,
      baseline: baseline ? { id: baseline.id, value: baseline.value, unit: baseline.unit } : null,
      ratio: baseline ? ratioTo(input.value, status, baseline) : null,
    };
    this.rows.push(row);
    return row;
  }

  report(): BenchReport {
    return {
      schema: BENCH_REPORT_SCHEMA,
      mode: this.mode,
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      machine: this.machine,
      options: this.options,
      rows: [...this.rows],
    };
  }
}

/**
 * Checks a parsed document against the schema above; returns the problems (empty when valid).
 * Used by the spec, and usable by anyone who consumes the JSON.
 */
export function benchReportProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null) return ['not an object'];
  const d = doc as Record<string, unknown>;
  if (d.schema !== BENCH_REPORT_SCHEMA) problems.push(`schema is not ${BENCH_REPORT_SCHEMA}`);
  if (!['full', 'quick', 'load', 'join', 'download', 'large'].includes(String(d.mode)))
    problems.push('bad mode');
  for (const at of ['startedAt', 'finishedAt'])
    if (typeof d[at] !== 'string' || Number.isNaN(Date.parse(String(d[at]))))
      problems.push(`${at} is not a timestamp`);
  const m = d.machine as Record<string, unknown> | undefined;
  if (
    !m ||
    typeof m.node !== 'string' ||
    typeof m.cpus !== 'number' ||
    typeof m.cpuModel !== 'string' ||
    !Array.isArray(m.loadAverage) ||
    typeof m.totalMemoryBytes !== 'number'
  )
    problems.push('machine is incomplete');
  if (!Array.isArray(d.rows) || d.rows.length === 0) return [...problems, 'no rows'];
  const seen = new Map<string, Record<string, unknown>>();
  for (const raw of d.rows as Record<string, unknown>[]) {
    const id = String(raw.id);
    if (typeof raw.id !== 'string' || seen.has(id))
      problems.push(`row ${id}: missing or duplicate id`);
    seen.set(id, raw);
    for (const key of ['group', 'description', 'unit'])
      if (typeof raw[key] !== 'string' || raw[key] === '') problems.push(`row ${id}: no ${key}`);
    if (typeof raw.value !== 'number' || !Number.isFinite(raw.value))
      problems.push(`row ${id}: value is not a finite number`);
    if (!['measured', 'extrapolated', 'did-not-finish'].includes(String(raw.status)))
      problems.push(`row ${id}: bad status`);
    const b = raw.baseline as Record<string, unknown> | null | undefined;
    if (b === null) {
      if (raw.ratio !== null) problems.push(`row ${id}: a ratio without a baseline`);
      continue;
    }
    if (
      !b ||
      typeof b.id !== 'string' ||
      typeof b.value !== 'number' ||
      typeof b.unit !== 'string'
    ) {
      problems.push(`row ${id}: baseline is not {id, value, unit}`);
      continue;
    }
    // The baseline is a row of the same run, added before the rows compared with it.
    const base = seen.get(b.id);
    if (!base || base.value !== b.value || base.unit !== b.unit) {
      problems.push(`row ${id}: baseline ${b.id} is not an earlier row of this run`);
      continue;
    }
    if (raw.ratio === null) {
      if (raw.status !== 'did-not-finish' && base.status !== 'did-not-finish')
        problems.push(`row ${id}: a finished row without a ratio`);
    } else if (raw.ratio !== (raw.value as number) / b.value) {
      problems.push(`row ${id}: ratio is not value / baseline.value`);
    }
  }
  return problems;
}
