import { basename } from 'node:path';
import { ConnectorError } from './connector-error.js';
import {
  digitsValue,
  isTrimmed,
  isTrimmedText,
  serviceDay,
  serviceDayIndex,
  trimmed,
  trimmedText,
} from './csv-byte-fields.js';
import type { ByteRecord } from './csv-byte-records.js';
import { scanCsv } from './csv-byte-rows.js';

const COUNTED = Buffer.from('0');
const COUNT = /^\d{1,15}$/;
const TIME = /^(\d{1,2}):([0-5]\d):([0-5]\d)$/;

/** A counted row: the record, each required column's position in it, and its boardings. */
export type CountedRowHandler = (
  row: ByteRecord,
  column: Readonly<Record<string, number>>,
  boardings: number,
) => void;

/**
 * GTFS-ride `board_alight.txt` scanned as bytes (csv-byte-rows.ts): `onRow` gets each counted row
 * (record_use 0) of one of `dates` (`YYYYMMDD`) with its boardings, a non-negative integer or a
 * located error; every other row is skipped unread. Returns how many rows the file holds.
 *
 * Fields compare as their text trimmed by `String#trim`, as the text reader (`readCsv`) compares
 * them, so a row counts, or fails, exactly as it does there (`board-alight-rows.spec.ts` holds the
 * two together), without a string per field: the large city's month is 19 M rows.
 */
export async function scanCountedBoardings(
  path: string,
  dates: readonly string[],
  /** Every column the caller reads, `record_use`, `boardings` and `service_date` among them. */
  required: readonly string[],
  onRow: CountedRowHandler,
): Promise<number> {
  const file = basename(path);
  const { dayOf, dayOfText } = serviceDayIndex(dates);
  const names = [...new Set(required)];
  let column: Record<string, number> = {};
  let rows = 0;
  await scanCsv(
    path,
    names,
    (columns) => {
      column = Object.fromEntries(names.map((name) => [name, columns.get(name)!]));
    },
    (r) => {
      rows++;
      if (!isTrimmed(r, column.record_use, COUNTED)) return;
      if (serviceDay(r, column.service_date, dayOf, dayOfText) < 0) return;
      onRow(r, column, countOf(r, column.boardings, file));
    },
  );
  return rows;
}

/** Field `k` as a non-negative integer of at most 15 digits (trimmed), or a located error. */
function countOf(r: ByteRecord, k: number, file: string): number {
  const [from, to] = trimmed(r, k);
  const v = isTrimmedText(r, from, to) ? digitsValue(r.bytes, from, to, 15) : countOfText(r, k);
  if (v < 0) throw new ConnectorError(file, r.line, 'boardings', 'expected a non-negative integer');
  return v;
}

function countOfText(r: ByteRecord, k: number): number {
  const text = trimmedText(r, k);
  return COUNT.test(text) ? Number(text) : -1;
}

/**
 * The hour (0–23) of field `k`, an `HH:MM:SS` time (trimmed) that GTFS lets run past 24:00
 * within a service day, or a located error naming `column`.
 */
export function hourOfField(r: ByteRecord, k: number, file: string, column: string): number {
  const [from, to] = trimmed(r, k);
  const hour = isTrimmedText(r, from, to) ? hourOfBytes(r.bytes, from, to) : hourOfText(r, k);
  if (hour < 0) throw new ConnectorError(file, r.line, column, 'expected a time HH:MM:SS');
  return hour % 24;
}

/** `H:MM:SS` or `HH:MM:SS` in `bytes[from, to)`: its hours, or -1. */
function hourOfBytes(b: Uint8Array, from: number, to: number): number {
  if (to - from < 7 || to - from > 8 || b[to - 6] !== 0x3a || b[to - 3] !== 0x3a) return -1;
  const sixty = (i: number): boolean =>
    b[i] >= 0x30 && b[i] <= 0x35 && b[i + 1] >= 0x30 && b[i + 1] <= 0x39;
  return sixty(to - 5) && sixty(to - 2) ? digitsValue(b, from, to - 6, 2) : -1;
}

function hourOfText(r: ByteRecord, k: number): number {
  const m = TIME.exec(trimmedText(r, k));
  return m ? Number(m[1]) : -1;
}
