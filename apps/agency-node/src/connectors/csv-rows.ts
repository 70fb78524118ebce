import { parse } from 'csv-parse';
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ConnectorError } from './connector-error.js';

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
export async function* readCsv(path: string, required: readonly string[]): AsyncGenerator<CsvRow> {
  const file = basename(path);
  if (!existsSync(path)) throw new ConnectorError(file, undefined, undefined, 'file not found');
  const parser = createReadStream(path).pipe(
    parse({ bom: true, skip_empty_lines: true, info: true, relax_quotes: false }),
  );
  let columns: Map<string, number> | undefined;
  try {
    for await (const record of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record: fields, info } = record;
      if (!columns) {
        columns = new Map(fields.map((name, i) => [name.trim(), i]));
        const missing = required.filter((c) => !columns!.has(c));
        if (missing.length > 0)
          throw new ConnectorError(
            file,
            info.lines,
            missing[0],
            `missing column(s) ${missing.join(', ')}`,
          );
        continue;
      }
      const index = columns;
      yield { line: info.lines, get: (column) => fields[index.get(column)!] ?? '' };
    }
  } catch (e) {
    if (e instanceof ConnectorError) throw e;
    const err = e as { lines?: number; message?: string };
    throw new ConnectorError(
      file,
      err.lines,
      undefined,
      `malformed CSV (${err.message ?? 'parse error'})`,
    );
  }
  if (!columns)
    throw new ConnectorError(file, undefined, undefined, 'file is empty (no header row)');
}

/** A non-negative integer field, or a located error. */
export function countField(row: CsvRow, file: string, column: string): number {
  const text = row.get(column).trim();
  if (!/^\d{1,15}$/.test(text))
    throw new ConnectorError(file, row.line, column, 'expected a non-negative integer');
  return Number(text);
}

/** The hour (0–23) of an `HH:MM:SS` time, which GTFS lets run past 24:00 within a service day. */
export function hourOfTime(row: CsvRow, file: string, column: string): number {
  const m = /^(\d{1,2}):([0-5]\d):([0-5]\d)$/.exec(row.get(column).trim());
  if (!m) throw new ConnectorError(file, row.line, column, 'expected a time HH:MM:SS');
  return Number(m[1]) % 24;
}
