import { statSync } from 'node:fs';
import { type InputCoverage, toDateRanges } from '#concord/wire';
import { fieldText, scanCsv } from './csv-byte-rows.js';
import type { CsvRow } from './csv-rows.js';
import { postgresServiceDates } from './postgres.connector.js';
import { isoDate } from './connector.js';

/**
 * Which service dates a file connector's data holds: the file it reads per date and which rows
 * count (the same rows the connector itself keeps for a date, so a date listed here is one the
 * connector finds rows for).
 */
interface DatedFile {
  readonly file: string;
  readonly kind: string;
  readonly column: string;
  readonly keep: (row: CsvRow) => boolean;
}

const APC: DatedFile = {
  file: 'boardAlight',
  kind: 'apc',
  column: 'record_use',
  keep: (r) => r.get('record_use').trim() === '0',
};
const FARE_TAPS: DatedFile = {
  file: 'fareTransactions',
  kind: 'taps',
  column: 'fare_action',
  keep: (r) => ['tap-on', 'tap-off'].includes(r.get('fare_action').trim()),
};
const TAP_ONS: DatedFile = {
  file: 'fareTransactions',
  kind: 'tap-ons',
  column: 'fare_action',
  keep: (r) => r.get('fare_action').trim() === 'tap-on',
};

/** Connectors that read per service date, and what they read; every other one is date-free. */
const DATED_FILES: Readonly<Record<string, DatedFile>> = {
  'apc-boardings-by-route-hour': APC,
  'apc-boardings-by-zone': APC,
  'fare-revenue-by-route-hour': FARE_TAPS,
  'transfers-by-route-pair': TAP_ONS,
  'taps-by-stop-product': TAP_ONS,
  'card-tokens': FARE_TAPS,
  'card-trips-by-route': FARE_TAPS,
  'card-trips-by-product': FARE_TAPS,
  'card-spend-by-route': FARE_TAPS,
  'card-spend-by-product': FARE_TAPS,
  'card-spend-by-zone': FARE_TAPS,
  'card-savings-by-zone': FARE_TAPS,
  'card-od-flows-by-zone-pair': TAP_ONS,
};

/** Whether a connector (by its catalogue name) reads per service date when it reads files. */
export function readsPerServiceDate(connector: string): boolean {
  return connector in DATED_FILES;
}

/**
 * Computes what one node holds, connector by connector, for the coverage it announces. A file is
 * scanned once (one pass for every connector reading it) and scanned again only when its size or
 * modification time changed, so `refresh` is a few `stat` calls when nothing changed. A database source is
 * asked for its distinct dates (one `SELECT DISTINCT` on the date column) at most every
 * `databaseEveryMs`. A source that cannot be read is announced as `unknown` (and reported through
 * `onProblem`): a session then fails at the read with the real reason. A connector without any
 * configured data holds no date.
 */
export class ConnectorCoverage {
  private readonly fileScans = new Map<string, { stamp: string; dates: Map<string, string[]> }>();
  private readonly databaseScans = new Map<string, { at: number; coverage: InputCoverage }>();

  constructor(
    private readonly data: Readonly<Record<string, Readonly<Record<string, string>>>>,
    private readonly options: {
      readonly now: () => number;
      readonly databaseEveryMs: number;
      /** Called when a source cannot be read (the reason has no data values). */
      readonly onProblem?: (connector: string, reason: string) => void;
    },
  ) {}

  /** Every configured connector's coverage, sorted by connector name. */
  async compute(): Promise<InputCoverage[]> {
    const names = Object.keys(this.data).sort();
    const out: InputCoverage[] = [];
    for (const connector of names) out.push(await this.of(connector));
    return out;
  }

  /** One connector's coverage (a connector the node has no data for holds no date). */
  async of(connector: string): Promise<InputCoverage> {
    const files = this.data[connector];
    if (!files) return { connector, kind: 'dated', dates: [] };
    try {
      if ((files.source ?? 'files') === 'postgresql') return await this.ofDatabase(connector);
      const dated = DATED_FILES[connector];
      if (!dated) return { connector, kind: 'any-date' };
      const path = files[dated.file];
      if (!path) throw new Error(`no file "${dated.file}" configured`);
      return { connector, kind: 'dated', dates: toDateRanges(await this.scan(path, dated)) };
    } catch (e) {
      // Too many separate ranges, or a source that cannot be read now: announced as unknown, so
      // the coordinator does not refuse on it, and a session finds the real reason at the read.
      this.options.onProblem?.(connector, e instanceof Error ? e.message : String(e));
      return { connector, kind: 'unknown' };
    }
  }

  /**
   * The service dates of `dated`'s rows in `path`. One pass serves every connector reading that
   * file (the fare file feeds three): all their row filters are applied in it, and the result is
   * kept until the file's size or modification time changes.
   */
  private async scan(path: string, dated: DatedFile): Promise<string[]> {
    const s = statSync(path);
    const stamp = `${s.size}:${s.mtimeMs}`;
    const cached = this.fileScans.get(path);
    if (cached?.stamp === stamp && cached.dates.has(dated.kind))
      return cached.dates.get(dated.kind)!;
    const kinds = new Map<string, DatedFile>([[dated.kind, dated]]);
    for (const [connector, files] of Object.entries(this.data)) {
      const other = DATED_FILES[connector];
      if (other && files[other.file] === path && (files.source ?? 'files') === 'files')
        kinds.set(other.kind, other);
    }
    const found = new Map([...kinds.keys()].map((k) => [k, new Set<string>()]));
    const columns = [...new Set(['service_date', ...[...kinds.values()].map((k) => k.column)])];
    // A byte scan (a month of the large city's taps is 20 GB): a row whose service_date bytes
    // are those of the row before, once every kind holds that date, is skipped without a string.
    let dateColumn = -1;
    let index: ReadonlyMap<string, number> = new Map();
    let last = Buffer.alloc(0);
    let lastComplete = false;
    await scanCsv(
      path,
      columns,
      (c) => {
        index = c;
        dateColumn = c.get('service_date')!;
      },
      (record) => {
        const from = record.starts[dateColumn];
        const to = record.ends[dateColumn];
        if (lastComplete && last.equals(record.bytes.subarray(from, to))) return;
        const row: CsvRow = {
          line: record.line,
          get: (column) => fieldText(record, index.get(column)!),
        };
        const d = row.get('service_date').trim();
        let complete = true;
        for (const [kind, filter] of kinds) {
          const dates = found.get(kind)!;
          if (!dates.has(d) && filter.keep(row)) dates.add(d);
          complete &&= dates.has(d);
        }
        last = Buffer.from(record.bytes.subarray(from, to));
        lastComplete = complete;
      },
    );
    const dates = new Map(
      [...found].map(([kind, set]) => [
        kind,
        [...set].filter((d) => /^\d{8}$/.test(d)).map(isoDate),
      ]),
    );
    this.fileScans.set(path, { stamp, dates });
    return dates.get(dated.kind)!;
  }

  private async ofDatabase(connector: string): Promise<InputCoverage> {
    const cached = this.databaseScans.get(connector);
    if (cached && this.options.now() - cached.at < this.options.databaseEveryMs)
      return cached.coverage;
    const dates = await postgresServiceDates(this.data[connector]);
    const coverage: InputCoverage =
      dates === 'any-date' || dates === 'unknown'
        ? { connector, kind: dates }
        : { connector, kind: 'dated', dates: toDateRanges(dates) };
    this.databaseScans.set(connector, { at: this.options.now(), coverage });
    return coverage;
  }
}
