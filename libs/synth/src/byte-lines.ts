/** Where full chunks of encoded rows go: `bytes` is only valid during the call. */
export type ChunkSink = (bytes: Uint8Array, rows: number) => void;

const CHUNK_BYTES = 1 << 20;
const encoder = new TextEncoder();
const HEX = encoder.encode('0123456789abcdef');

/**
 * CSV rows encoded straight into a reused byte chunk, field by field. Building each row as a
 * string and the chunk as a concatenation of rows, then encoding it, cost more than generating
 * the rows (the concatenations become rope strings that must be flattened): a large day writes
 * 800 MB. Text goes in as UTF-8, exactly as Buffer.from(text, 'utf8') would encode it.
 */
export class ByteLines {
  private chunk = new Uint8Array(CHUNK_BYTES);
  private at = 0;
  /** Where the row in progress starts. */
  private rowStart = 0;
  private rows = 0;

  constructor(private readonly sink: ChunkSink) {}

  /** Pre-encoded bytes (ids cached as bytes by the caller). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.at + n > this.chunk.length) this.room(n);
    const chunk = this.chunk;
    let at = this.at;
    for (let j = 0; j < n; j++) chunk[at++] = b[j];
    this.at = at;
  }

  /** A string, as UTF-8 (a plain loop while it is ASCII). */
  text(s: string): void {
    const n = s.length;
    if (this.at + n > this.chunk.length) this.room(n);
    const chunk = this.chunk;
    let at = this.at;
    for (let j = 0; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x80) {
        this.at = at;
        this.bytes(encoder.encode(s.slice(j)));
        return;
      }
      chunk[at++] = c;
    }
    this.at = at;
  }

  byte(c: number): void {
    if (this.at === this.chunk.length) this.room(1);
    this.chunk[this.at++] = c;
  }

  /** A non-negative integer in decimal, at least `width` digits (zero-padded). */
  uint(n: number, width = 1): void {
    if (!(n >= 0 && Number.isSafeInteger(n))) {
      this.text(String(n).padStart(width, '0'));
      return;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    const size = Math.max(digits, width);
    if (this.at + size > this.chunk.length) this.room(size);
    const chunk = this.chunk;
    let end = this.at + size;
    this.at = end;
    for (let k = 0; k < size; k++) {
      chunk[--end] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
  }

  /** A 32-bit word as 8 lowercase hex digits. */
  hex32(x: number): void {
    if (this.at + 8 > this.chunk.length) this.room(8);
    const chunk = this.chunk;
    for (let shift = 28, at = this.at; shift >= 0; shift -= 4)
      chunk[at++] = HEX[(x >>> shift) & 0xf];
    this.at += 8;
  }

  /** Integer cents as dollars, like formatCents: 200 -> "2.00", -5 -> "-0.05". */
  money(cents: number): void {
    if (cents < 0) this.byte(0x2d);
    const abs = Math.abs(cents);
    this.uint(Math.floor(abs / 100));
    this.byte(0x2e);
    this.uint(abs % 100, 2);
  }

  /** A whole row already formatted as `csvLine` does (ending with CRLF). */
  row(line: string): void {
    this.text(line);
    this.rowStart = this.at;
    this.rows++;
  }

  /** Ends a row (CRLF). */
  endRow(): void {
    if (this.at + 2 > this.chunk.length) this.room(2);
    this.chunk[this.at++] = 0x0d;
    this.chunk[this.at++] = 0x0a;
    this.rowStart = this.at;
    this.rows++;
  }

  /** Hands the rows so far to the sink. */
  flush(): void {
    if (this.at === 0) return;
    this.sink(this.chunk.subarray(0, this.at), this.rows);
    this.at = 0;
    this.rowStart = 0;
    this.rows = 0;
  }

  /**
   * Makes room for `n` more bytes. Completed rows go to the sink; the row in progress moves to
   * the front of the chunk (which grows when a single row outgrows it).
   */
  private room(n: number): void {
    const start = this.rowStart;
    if (start > 0) {
      this.sink(this.chunk.subarray(0, start), this.rows);
      this.rows = 0;
      this.chunk.copyWithin(0, start, this.at);
      this.at -= start;
      this.rowStart = 0;
    }
    if (this.at + n > this.chunk.length) {
      const grown = new Uint8Array(Math.max(this.chunk.length * 2, this.at + n));
      grown.set(this.chunk.subarray(0, this.at));
      this.chunk = grown;
    }
  }
}
