import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { ConnectorError } from './connector-error.js';
import { type ByteRecord, CsvByteRecordParser } from './csv-byte-records.js';
import { csvReadError, fieldCountError, requireColumns } from './csv-rows.js';

/** A header row's column positions by trimmed name. */
export type CsvColumns = ReadonlyMap<string, number>;

/**
 * Streams a CSV file with a header row as byte records (`csv-byte-records.ts`), for connectors
 * that read hundreds of millions of rows: the same checks and errors as `readCsv` (required
 * columns, a field count per row equal to the header's, malformed records located by line), but
 * each row reaches `onRow` as byte ranges, valid during the call only.
 */
export async function scanCsv(
  path: string,
  required: readonly string[],
  onHeader: (columns: CsvColumns) => void,
  onRow: (record: ByteRecord) => void,
): Promise<void> {
  const file = basename(path);
  if (!existsSync(path)) throw new ConnectorError(file, undefined, undefined, 'file not found');
  const parser = new CsvByteRecordParser();
  let width = -1;
  // What the caller's own code threw passes through untouched (only the file's faults are mapped).
  let fromRow: unknown;
  const each = (record: ByteRecord): void => {
    if (width < 0) {
      const names = new Map<string, number>();
      for (let k = 0; k < record.fields; k++) names.set(fieldText(record, k).trim(), k);
      width = record.fields;
      requireColumns(file, record.line, names, required);
      onHeader(names);
      return;
    }
    if (record.fields !== width) throw fieldCountError(file, record.line, record.fields, width);
    try {
      onRow(record);
    } catch (e) {
      fromRow = e;
      throw e;
    }
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) parser.push(chunk, each);
    parser.end(each);
  } catch (e) {
    if (e === fromRow || e instanceof ConnectorError) throw e;
    throw csvReadError(file, e);
  } finally {
    stream.destroy();
  }
  if (width < 0)
    throw new ConnectorError(file, undefined, undefined, 'file is empty (no header row)');
}

/** Field `k` of a byte record as text (UTF-8), untrimmed. */
export function fieldText(record: ByteRecord, k: number): string {
  return record.bytes.toString('utf8', record.starts[k], record.ends[k]);
}
