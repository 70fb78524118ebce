import { stringify } from 'csv-stringify/sync';
import {
  OUTPUT_COLUMN,
  type ReleaseTable,
  type ReleaseTableOutput,
  VALUE_COLUMNS,
} from './release-table.js';
import { valueText } from './stored-values.js';

/** Bytes per yielded chunk: few socket writes, memory bounded whatever the release's size. */
const CHUNK_BYTES = 256 * 1024;
const INTEGER = /^-?\d+$/;
const COMMA = 0x2c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Room for a range axis's integer (a safe integer has at most 16 digits and a sign). */
const RANGE_FIELD_BYTES = 24;

/**
 * The release as RFC 4180 CSV (CRLF, header first), yielded as byte chunks: `output`, one column
 * per plan axis (empty where an output lacks the axis), `value`, `interval_half_width`,
 * `confidence_level`.
 *
 * Every text field is encoded by csv-stringify: output names, listed axis values and levels once
 * per distinct text, a stored value that is not a decimal integer (none should be) where it
 * comes. Per cell only those encoded bytes, a range axis's integer and the value's stored bytes
 * are copied into the chunk: a decimal integer never needs quoting and is never a formula, so the
 * bytes are the library's (release-csv.spec.ts holds them to the library field by field). Laying out a million rows as
 * strings cost more in concatenation and garbage collection than everything else a download does.
 */
export function* releaseCsvChunks(table: ReleaseTable): Generator<Buffer> {
  const header = Buffer.from(
    csvRecord([OUTPUT_COLUMN, ...table.axes.map((a) => a.column), ...VALUE_COLUMNS]),
  );
  const axes = table.axes.map((a) =>
    'range' in a ? { lo: a.range[0] } : { encoded: a.values.map((v) => Buffer.from(csvField(v))) },
  );
  let chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, header.length));
  let at = header.copy(chunk, 0);
  for (const output of table.outputs) {
    const rows = new OutputRows(output, axes);
    while (!rows.done) {
      const filled = rows.fill(chunk, at);
      if (filled === at) {
        // Not even one more row fits: send the chunk, and start one big enough for that row.
        if (at > 0) yield chunk.subarray(0, at);
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, rows.room()));
        at = 0;
      } else at = filled;
    }
  }
  if (at > 0) yield chunk.subarray(0, at);
}

type CsvAxis = { readonly lo: number } | { readonly encoded: readonly Buffer[] };

/**
 * One output's rows, written in cell order into chunks. Its axes' indices advance like an
 * odometer (each by its stride) instead of being divided out of the cell number per row.
 */
class OutputRows {
  private cell = 0;
  private readonly name: Buffer;
  private readonly tail: Buffer;
  /** The bytes of a row but its value's (a range axis counted at its widest). */
  private readonly fixed: number;
  private readonly index: Int32Array;
  private readonly left: Int32Array;

  constructor(
    private readonly output: ReleaseTableOutput,
    private readonly axes: readonly CsvAxis[],
  ) {
    this.name = Buffer.from(csvField(output.name));
    this.tail = Buffer.from(
      `,${csvField(output.intervalHalfWidth)},${csvField(output.confidenceLevel)}\r\n`,
    );
    this.index = new Int32Array(axes.length);
    this.left = Int32Array.from(output.strides);
    let fixed = this.name.length + axes.length + this.tail.length;
    for (const [a, axis] of axes.entries()) {
      if (output.strides[a] === 0) continue;
      fixed +=
        'lo' in axis ? RANGE_FIELD_BYTES : axis.encoded.reduce((n, e) => Math.max(n, e.length), 0);
    }
    this.fixed = fixed;
  }

  get done(): boolean {
    return this.cell === this.output.values.length;
  }

  /**
   * At most how many bytes the next row takes: a value that is not a decimal integer goes
   * through the library, which may quote it, double its quotes and prefix an apostrophe.
   */
  room(): number {
    const { ends } = this.output.values;
    const cell = this.cell;
    const length = ends[cell] - (cell === 0 ? 0 : ends[cell - 1] + 1);
    return this.fixed + 2 * length + 3;
  }

  /** Writes rows from `at` while the next one surely fits; returns where they end. */
  fill(out: Buffer, at: number): number {
    const { output, axes, name, tail, index, left } = this;
    const { bytes, ends } = output.values;
    const { strides, sizes } = output;
    const cells = output.values.length;
    const limit = out.length - this.fixed - 3;
    let cell = this.cell;
    let start = cell === 0 ? 0 : ends[cell - 1] + 1;
    for (; cell < cells; cell += 1) {
      const end = ends[cell];
      if (at + 2 * (end - start) > limit) break;
      at = copy(name, out, at);
      for (let a = 0; a < axes.length; a += 1) {
        out[at++] = COMMA;
        if (strides[a] === 0) continue;
        const axis = axes[a];
        at =
          'lo' in axis
            ? writeInteger(axis.lo + index[a], out, at)
            : copy(axis.encoded[index[a]], out, at);
        left[a] -= 1;
        if (left[a] === 0) {
          left[a] = strides[a];
          index[a] = index[a] + 1 === sizes[a] ? 0 : index[a] + 1;
        }
      }
      out[at++] = COMMA;
      // Copied as it is checked; anything but a decimal integer is rewritten by the library.
      const valueAt = at;
      let i = start;
      if (bytes[i] === MINUS && i < end) out[at++] = bytes[i++];
      let integer = i < end;
      for (; i < end; i += 1) {
        const b = bytes[i];
        if (b < ZERO || b > NINE) {
          integer = false;
          break;
        }
        out[at++] = b;
      }
      if (!integer) at = copy(Buffer.from(csvField(valueText(output.values, cell))), out, valueAt);
      at = copy(tail, out, at);
      start = end + 1;
    }
    this.cell = cell;
    return at;
  }
}

/** A byte loop: the fields are a few bytes, too short for a native copy to pay for its call. */
function copy(from: Uint8Array, out: Buffer, at: number): number {
  for (let i = 0; i < from.length; i += 1) out[at++] = from[i];
  return at;
}

/** An integer's decimal digits, as String(n) writes them. */
function writeInteger(n: number, out: Buffer, at: number): number {
  if (!Number.isSafeInteger(n)) return at + out.write(String(n), at, 'latin1');
  if (n < 0) {
    out[at++] = MINUS;
    n = -n;
  }
  let digits = 1;
  for (let p = 10; p <= n; p *= 10) digits += 1;
  if (n < 2 ** 31)
    // Small integer arithmetic, the common case (a range axis of cells, hours, days).
    for (let i = at + digits - 1, m = n | 0; i >= at; i -= 1) {
      const q = (m / 10) | 0;
      out[i] = ZERO + m - q * 10;
      m = q;
    }
  else
    for (let i = at + digits - 1; i >= at; i -= 1) {
      out[i] = ZERO + (n % 10);
      n = Math.floor(n / 10);
    }
  return at + digits;
}

/**
 * One field as CSV text: quoted only when it holds a comma, quote or line break. A decimal
 * integer (every value, half-width and range axis value) never does, so it skips the library.
 * Any other text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return: an axis value comes from an agency's files, e.g. a GTFS route name) gets a
 * leading apostrophe, so opening the download never evaluates it (OWASP "CSV injection").
 */
function csvField(text: string): string {
  return INTEGER.test(text) ? text : stringify([[text]], { eof: false, escape_formulas: true });
}

function csvRecord(fields: readonly string[]): string {
  return stringify([fields], { record_delimiter: 'windows', escape_formulas: true });
}
