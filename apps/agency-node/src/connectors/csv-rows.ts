import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ConnectorError } from './connector-error.js';
import { type CsvRecord, CsvRecordParser, CsvSyntaxError } from './csv-records.js';

/** One CSV record with the line it started on (1-based, the header is line 1). */
export interface CsvRow {
  readonly line: number;
  readonly get: (column: string) => string;
}

/**
 * Streams a CSV file with a header row, checking that the required columns exist. Rows are read
 * one at a time, so files larger than memory are fine; a malformed row (wrong field count, bad
 * quoting) stops the read with its line number.
 */
export async function* readCsv(
  path: string,
  required: readonly string[],
  /** Called once with the header's column names (for a caller that checks optional ones itself). */
  onHeader?: (columns: ReadonlySet<string>) => void,
): AsyncGenerator<CsvRow> {
  const file = basename(path);
  if (!existsSync(path)) throw new ConnectorError(file, undefined, undefined, 'file not found');
  const parser = new CsvRecordParser();
  let columns: Map<string, number> | undefined;
  let width = 0;
  const rows = function* (records: readonly CsvRecord[]): Generator<CsvRow> {
    for (const { fields, line } of records) {
      if (!columns) {
        columns = new Map(fields.map((name, i) => [name.trim(), i]));
        width = fields.length;
        onHeader?.(new Set(columns.keys()));
        requireColumns(file, line, columns, required);
        continue;
      }
      if (fields.length !== width) throw fieldCountError(file, line, fields.length, width);
      const index = columns;
      yield { line, get: (column) => fields[index.get(column)!] ?? '' };
    }
  };
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) yield* rows(parser.push(chunk));
    yield* rows(parser.end());
  } catch (e) {
    if (e instanceof ConnectorError) throw e;
    throw csvReadError(file, e);
  } finally {
    stream.destroy();
  }
  if (!columns)
    throw new ConnectorError(file, undefined, undefined, 'file is empty (no header row)');
}

/** Refuses a header row that lacks a required column, naming every missing one. */
export function requireColumns(
  file: string,
  line: number,
  columns: ReadonlyMap<string, number>,
  required: readonly string[],
): void {
  const missing = required.filter((c) => !columns.has(c));
  if (missing.length > 0)
    throw new ConnectorError(file, line, missing[0], `missing column(s) ${missing.join(', ')}`);
}

/** A row whose field count is not the header's. */
export function fieldCountError(
  file: string,
  line: number,
  fields: number,
  width: number,
): ConnectorError {
  return new ConnectorError(
    file,
    line,
    undefined,
    `malformed CSV (${fields} fields, the header has ${width})`,
  );
}

/**
 * What a CSV read that failed says: a malformed record with its line, or the file's read error
 * by its code (never the file's contents).
 */
export function csvReadError(file: string, e: unknown): ConnectorError {
  if (e instanceof CsvSyntaxError)
    return new ConnectorError(file, e.line, undefined, `malformed CSV (${e.message})`);
  return new ConnectorError(
    file,
    undefined,
    undefined,
    `cannot read the file (${(e as { code?: string }).code ?? 'read error'})`,
  );
}

/** A non-negative integer field, or a located error. */
export function countField(row: CsvRow, file: string, column: string): number {
  const text = row.get(column).trim();
  if (!/^\d{1,15}$/.test(text))
    throw new ConnectorError(file, row.line, column, 'expected a non-negative integer');
  return Number(text);
}

/**
 * A copy of a field that keeps nothing else alive, for fields a connector keeps past its row. V8
 * keeps a substring of 13 characters or more as a view into the string it was cut from, so a
 * kept field would keep its whole 64 KB chunk of the file, and a day of kept rows nearly the
 * whole file (measured: 2.5 GB for the large city's 765 MB day before, in docs/performance.md).
 * Concatenating makes a new string; its slice views only that small copy.
 */
export function detached(text: string): string {
  return ` ${text}`.slice(1);
}

/**
 * One detached string per distinct value, for fields that repeat across millions of rows
 * (routes, stops, fare products).
 */
export function interner(): (text: string) => string {
  const seen = new Map<string, string>();
  return (text) => {
    let kept = seen.get(text);
    if (kept === undefined) seen.set((kept = detached(text)), kept);
    return kept;
  };
}
