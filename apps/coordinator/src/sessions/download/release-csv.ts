import { stringify } from 'csv-stringify/sync';
import { axisIndex, OUTPUT_COLUMN, type ReleaseTable, VALUE_COLUMNS } from './release-table.js';

/** Rows per yielded chunk: about 0.5 MB of text, so the response streams with bounded memory. */
const ROWS_PER_CHUNK = 10_000;
const RECORD_END = '\r\n';
const INTEGER = /^-?\d+$/;

/**
 * The release as RFC 4180 CSV (CRLF, header first), yielded in chunks: `output`, one column per
 * plan axis (empty where an output lacks the axis), `value`, `interval_half_width`,
 * `confidence_level`.
 *
 * Every text field (names, listed axis values, levels) is encoded by csv-stringify, once per
 * distinct text; per cell only the pre-encoded fields and the value are joined. Stringifying a
 * million rows field by field through the library takes seconds, this a fraction of one, and the
 * bytes are the same: a decimal integer never needs quoting (anything else still goes through it).
 */
export function* releaseCsvChunks(table: ReleaseTable): Generator<string> {
  // Per axis, its field text by index: listed values encoded once, range integers as they come.
  const axes = table.axes.map((a): ((index: number) => string) => {
    if ('range' in a) {
      const lo = a.range[0];
      return (index) => String(lo + index);
    }
    const encoded = a.values.map(csvField);
    return (index) => encoded[index];
  });
  yield csvRecord([OUTPUT_COLUMN, ...table.axes.map((a) => a.column), ...VALUE_COLUMNS]);
  for (const output of table.outputs) {
    const name = csvField(output.name);
    const tail = `,${csvField(output.intervalHalfWidth)},${csvField(output.confidenceLevel)}${RECORD_END}`;
    let chunk = '';
    let rows = 0;
    for (let cell = 0; cell < output.values.length; cell += 1) {
      let line = name;
      for (let a = 0; a < axes.length; a += 1) {
        const i = axisIndex(output, a, cell);
        line += i < 0 ? ',' : `,${axes[a](i)}`;
      }
      const value = output.values[cell];
      chunk += `${line},${csvField(value)}${tail}`;
      rows += 1;
      if (rows === ROWS_PER_CHUNK) {
        yield chunk;
        chunk = '';
        rows = 0;
      }
    }
    if (chunk !== '') yield chunk;
  }
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
