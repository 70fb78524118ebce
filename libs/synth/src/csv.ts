import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

export type CsvValue = string | number | null;

/** Records end with CRLF, as RFC 4180 §2.1 specifies. */
export const CSV_LINE_END = '\r\n';

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted (with doubled quotes) only when it contains a comma, quote, CR or LF. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + CSV_LINE_END;
}

/** Integer cents as a decimal dollar string: 200 -> "2.00", 5 -> "0.05". */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Where a written file ended up and what it contains. */
export interface WrittenFile {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

const FLUSH_CHARS = 1 << 20;

/**
 * A CSV file written row by row through a bounded buffer, hashed as it goes: the same writer
 * serves an in-memory city and a streamed one that never holds all its rows.
 */
export class CsvFileWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private buffer = '';
  private rows = 0;
  private bytes = 0;

  constructor(
    private readonly path: string,
    header: readonly string[],
  ) {
    this.fd = openSync(path, 'w');
    this.buffer = csvLine(header);
  }

  row(values: readonly CsvValue[]): void {
    this.buffer += csvLine(values);
    this.rows++;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** `rows` rows already encoded (UTF-8, each ending with CRLF), e.g. by ByteLines. */
  chunk(bytes: Uint8Array, rows: number): void {
    this.flush();
    this.put(bytes);
    this.rows += rows;
  }

  close(): WrittenFile {
    this.flush();
    closeSync(this.fd);
    return { path: this.path, rows: this.rows, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const chunk = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    this.put(chunk);
  }

  private put(chunk: Uint8Array): void {
    this.hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset);
    this.bytes += chunk.length;
  }
}

/** Writes a whole CSV file from a header and rows. */
export function writeCsv<T>(
  path: string,
  header: readonly string[],
  records: Iterable<T>,
  toRow: (record: T) => readonly CsvValue[],
): WrittenFile {
  const writer = new CsvFileWriter(path, header);
  for (const r of records) writer.row(toRow(r));
  return writer.close();
}
