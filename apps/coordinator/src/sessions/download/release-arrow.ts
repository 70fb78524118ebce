import { endianness } from 'node:os';
import { Readable } from 'node:stream';
import {
  type Data,
  Dictionary,
  Field,
  Int16,
  Int32,
  Int64,
  Int8,
  makeData,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { CoordinatorError } from '../../common/coordinator-error.js';
import {
  axisIndex,
  OUTPUT_COLUMN,
  type ReleaseTable,
  type ReleaseTableOutput,
} from './release-table.js';
import { isDecimalInteger, type StoredValues, valueStart, valueText } from './stored-values.js';

/** Rows per record batch: a few MB each, so the stream starts early and memory stays bounded. */
const ROWS_PER_BATCH = 65_536;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * The release as an Apache Arrow IPC stream: one schema (a single table), record batches of at
 * most 65,536 rows of one output each, in plan order. Columns: `output` and one per listed plan
 * axis as dictionaries of strings (a pandas category, a polars Categorical; the values as
 * `GET /reports/:id` lists them; int8, int16 or int32 indices, the narrowest that numbers the
 * dictionary), one per range axis as its integers (int32); axis columns are
 * null where an output lacks the axis; `value` and `interval_half_width` as int64;
 * `confidence_level` as a dictionary string ("0.95"), as served.
 * `pyarrow.ipc.open_stream(body).read_all()` reads it as one table.
 */
export function releaseArrowStream(table: ReleaseTable): Readable {
  assertFitsInt64(table);
  const columns = arrowColumns(table);
  const batches = Readable.from(recordBatches(table, columns), { objectMode: true });
  const writer = RecordBatchStreamWriter.throughNode();
  batches.on('error', (e) => writer.destroy(e));
  return batches.pipe(writer);
}

type IndexType = Int8 | Int16 | Int32;
type Indices = Int8Array | Int16Array | Int32Array;

/**
 * A dictionary-encoded string column and its one dictionary (shared by every batch: sent once).
 * Its indices are the narrowest integers that number its entries: int8 for an output or a level
 * (a byte a row instead of four), as pandas keeps a small category's codes.
 */
interface DictionaryColumn {
  readonly field: Field<Dictionary<Utf8, IndexType>>;
  readonly dictionary: Vector<Utf8>;
  readonly indices: (length: number) => Indices;
}

/** A range axis: its integers themselves (int32, or int64 for a range beyond int32). */
interface RangeColumn {
  readonly field: Field<Int32 | Int64>;
  readonly lo: number;
}

type AxisColumn = DictionaryColumn | RangeColumn;

interface Columns {
  readonly schema: Schema;
  readonly output: DictionaryColumn;
  readonly axes: readonly AxisColumn[];
  readonly level: DictionaryColumn;
  /** The distinct confidence levels, the `level` dictionary's entries in order. */
  readonly levels: readonly string[];
}

function arrowColumns(table: ReleaseTable): Columns {
  // Dictionary ids numbered per file, not drawn from the library's process-wide counter: the
  // same release then downloads as the same bytes, whichever request came before.
  let nextDictionaryId = 0;
  const column = (name: string, values: readonly string[], nullable: boolean): DictionaryColumn => {
    const [type, indices] = indexType(values.length);
    return {
      field: new Field(name, new Dictionary(new Utf8(), type, nextDictionaryId++), nullable),
      dictionary: vectorFromArray([...values], new Utf8()),
      indices,
    };
  };
  const output = column(
    OUTPUT_COLUMN,
    table.outputs.map((o) => o.name),
    false,
  );
  const axes = table.axes.map((a): AxisColumn => {
    if ('values' in a) return column(a.column, a.values, true);
    const int32 = a.range[0] >= -(2 ** 31) && a.range[1] < 2 ** 31;
    return { field: new Field(a.column, int32 ? new Int32() : new Int64(), true), lo: a.range[0] };
  });
  const levels = [...new Set(table.outputs.map((o) => o.confidenceLevel))];
  const level = column('confidence_level', levels, false);
  const schema = new Schema(
    [
      output.field,
      ...axes.map((a) => a.field),
      new Field('value', new Int64(), false),
      new Field('interval_half_width', new Int64(), false),
      level.field,
    ],
    new Map([['concord.report', table.sessionId]]),
  );
  return { schema, output, axes, level, levels };
}

function* recordBatches(table: ReleaseTable, columns: Columns): Generator<RecordBatch> {
  for (const [o, output] of table.outputs.entries()) {
    const level = columns.levels.indexOf(output.confidenceLevel);
    for (let start = 0; start < output.values.length; start += ROWS_PER_BATCH) {
      const length = Math.min(ROWS_PER_BATCH, output.values.length - start);
      const children = [
        dictionaryData(columns.output, columns.output.indices(length).fill(o)),
        ...columns.axes.map((a, i) => axisData(a, output, i, start, length)),
        makeData({ type: new Int64(), length, data: int64s(output.values, start, length) }),
        makeData({
          type: new Int64(),
          length,
          data: new BigInt64Array(length).fill(BigInt(output.intervalHalfWidth)),
        }),
        dictionaryData(columns.level, columns.level.indices(length).fill(level)),
      ];
      const fields = columns.schema.fields;
      yield new RecordBatch(
        columns.schema,
        makeData({ type: new Struct(fields), length, children }),
      );
    }
  }
}

/** The narrowest index type (and its array) that numbers `entries` dictionary entries. */
function indexType(entries: number): [IndexType, (length: number) => Indices] {
  if (entries <= 2 ** 7) return [new Int8(), (length) => new Int8Array(length)];
  if (entries <= 2 ** 15) return [new Int16(), (length) => new Int16Array(length)];
  return [new Int32(), (length) => new Int32Array(length)];
}

function dictionaryData(column: DictionaryColumn, indices: Indices): Data {
  return makeData({
    type: column.field.type,
    length: indices.length,
    data: indices,
    dictionary: column.dictionary,
  });
}

/**
 * The axis per row: its dictionary index, or a range axis's integer; a column of nulls when the
 * output is not broken down by it.
 */
function axisData(
  column: AxisColumn,
  output: ReleaseTableOutput,
  axis: number,
  start: number,
  length: number,
): Data {
  const absent = output.strides[axis] === 0;
  const nulls = absent
    ? { nullCount: length, nullBitmap: new Uint8Array(Math.ceil(length / 8)) }
    : {};
  const indices = 'dictionary' in column ? column.indices(length) : new Int32Array(length);
  if (!absent) for (let k = 0; k < length; k += 1) indices[k] = axisIndex(output, axis, start + k);
  if ('dictionary' in column)
    return makeData({
      type: column.field.type,
      length,
      data: indices,
      dictionary: column.dictionary,
      ...nulls,
    });
  const type = column.field.type;
  const lo = column.lo;
  if (type instanceof Int32) {
    if (!absent) for (let k = 0; k < length; k += 1) indices[k] += lo;
    return makeData({ type, length, data: indices, ...nulls });
  }
  const wide = new BigInt64Array(length);
  if (!absent) for (let k = 0; k < length; k += 1) wide[k] = BigInt(lo + indices[k]);
  return makeData({ type, length, data: wide, ...nulls });
}

/**
 * The values as int64, read from the stored bytes: up to 15 digits is exact as a double and goes
 * into the two 32-bit halves of its slot (Arrow's IPC is little-endian, as is this host's array
 * unless `endianness()` says otherwise); anything longer or odd goes through BigInt, which also
 * refuses text that is not an integer.
 */
function int64s(values: StoredValues, start: number, length: number): BigInt64Array {
  const out = new BigInt64Array(length);
  const halves = LITTLE_ENDIAN ? new Int32Array(out.buffer) : undefined;
  const { numbers } = values;
  if (halves && numbers) {
    // Decoded from the stored limbs: the safe integers themselves, and no text is written.
    for (let k = 0; k < length; k += 1) setSafeInt64(halves, k, numbers[start + k]);
    return out;
  }
  const { bytes, ends } = values;
  for (let k = 0; k < length; k += 1) {
    const cell = start + k;
    const from = valueStart(values, cell);
    const to = ends[cell];
    const negative = bytes[from] === 0x2d;
    const digits = to - from - (negative ? 1 : 0);
    if (!halves || digits > 15 || !isDecimalInteger(bytes, from, to)) {
      out[k] = BigInt(valueText(values, cell));
      continue;
    }
    let n = 0;
    for (let i = negative ? from + 1 : from; i < to; i += 1) n = n * 10 + (bytes[i] - 0x30);
    setSafeInt64(halves, k, negative ? -n : n);
  }
  return out;
}

/** Slot `k` of a little-endian int64 array, seen as 32-bit halves, set to safe integer `n`. */
function setSafeInt64(halves: Int32Array, k: number, n: number): void {
  halves[2 * k] = (n % 2 ** 32) | 0;
  halves[2 * k + 1] = Math.floor(n / 2 ** 32);
}

/**
 * Refuses, before anything is sent, a release with a value that int64 cannot hold (BigInt64Array
 * would wrap it silently). Up to 18 digits always fits, so only longer texts are compared.
 */
function assertFitsInt64(table: ReleaseTable): void {
  const tooLong = (text: string) => {
    if (text.length <= 18) return false;
    const v = BigInt(text);
    return v < INT64_MIN || v > INT64_MAX;
  };
  const anyTooLong = (values: StoredValues) => {
    if (values.numbers) return false; // safe integers, all within int64 (and no text to write)
    for (let k = 0; k < values.length; k += 1)
      if (values.ends[k] - valueStart(values, k) > 18 && tooLong(valueText(values, k))) return true;
    return false;
  };
  const wide = table.outputs.find((o) => tooLong(o.intervalHalfWidth) || anyTooLong(o.values));
  if (wide)
    throw new CoordinatorError(
      'invalid-request',
      `output ${wide.name} holds a value beyond 64-bit integers, which Arrow's int64 cannot carry: download it as CSV`,
    );
}
