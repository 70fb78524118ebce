import type { ByteRecord } from './csv-byte-records.js';
import { fieldText } from './csv-byte-rows.js';

// Reading fields of a byte record (csv-byte-records.ts) as the text connectors read them:
// `String#trim` first. The only whitespace `trim` removes in ASCII is what `isSpace` names, so
// once a field's ASCII whitespace is cut off, its text is trimmed exactly when the range is empty
// or both its ends are ASCII bytes. A range ending in a byte of a multi-byte character (Unicode
// whitespace, say) goes through its text instead, so every answer below is the text's.

/** The field's byte range without ASCII whitespace at either end. */
export function trimmed(r: ByteRecord, k: number): [number, number] {
  let from = r.starts[k];
  let to = r.ends[k];
  const b = r.bytes;
  while (from < to && isSpace(b[from])) from++;
  while (to > from && isSpace(b[to - 1])) to--;
  return [from, to];
}

/** Whether the ASCII-trimmed range `[from, to)` is the field's trimmed text (see above). */
export function isTrimmedText(r: ByteRecord, from: number, to: number): boolean {
  return from === to || (r.bytes[from] < 0x80 && r.bytes[to - 1] < 0x80);
}

/** Field `k` as text, trimmed as `String#trim` trims it. */
export function trimmedText(r: ByteRecord, k: number): string {
  const [from, to] = trimmed(r, k);
  return isTrimmedText(r, from, to) ? r.bytes.toString('utf8', from, to) : fieldText(r, k).trim();
}

/** Whether field `k`, trimmed, is the text `expected` (given as its UTF-8 bytes). */
export function isTrimmed(r: ByteRecord, k: number, expected: Buffer): boolean {
  const [from, to] = trimmed(r, k);
  if (!isTrimmedText(r, from, to)) return fieldText(r, k).trim() === expected.toString('utf8');
  return sameBytes(r.bytes, from, to, expected);
}

/** Whether field `k`, untrimmed, is exactly `expected` (bytes). */
export function isBytes(r: ByteRecord, k: number, expected: Uint8Array): boolean {
  return sameBytes(r.bytes, r.starts[k], r.ends[k], expected);
}

function sameBytes(bytes: Uint8Array, from: number, to: number, expected: Uint8Array): boolean {
  if (to - from !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[from + i] !== expected[i]) return false;
  return true;
}

/**
 * The ASCII digits `bytes[from, to)` as a number, or -1 when the range is empty, longer than
 * `maxDigits` or holds anything else.
 */
export function digitsValue(
  bytes: Uint8Array,
  from: number,
  to: number,
  maxDigits: number,
): number {
  if (to <= from || to - from > maxDigits) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The index of the row's `service_date` (trimmed, `YYYYMMDD`) among the dates a connector reads
 * (`dayOf` keyed by the date as a number, `dayOfText` by its text), or -1 for any other value.
 */
export function serviceDay(
  r: ByteRecord,
  k: number,
  dayOf: ReadonlyMap<number, number>,
  dayOfText: ReadonlyMap<string, number>,
): number {
  const [from, to] = trimmed(r, k);
  const date = to - from === 8 ? digitsValue(r.bytes, from, to, 8) : -1;
  if (date >= 0) return dayOf.get(date) ?? -1;
  // Anything else (other whitespace than ASCII's, say): as text, as the text readers compare it.
  return dayOfText.get(fieldText(r, k).trim()) ?? -1;
}

/** Service dates (`YYYYMMDD`) indexed for `serviceDay`. */
export function serviceDayIndex(dates: readonly string[]): {
  readonly dayOf: ReadonlyMap<number, number>;
  readonly dayOfText: ReadonlyMap<string, number>;
} {
  return {
    dayOf: new Map(dates.map((d, i) => [Number(d), i])),
    dayOfText: new Map(dates.map((d, i) => [d, i])),
  };
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
