import { CsvSyntaxError } from './csv-records.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** A record longer than this is refused: no real fare or count row comes near it. */
export const MAX_RECORD_BYTES = 1 << 20;

/**
 * One record as byte ranges, reused from record to record: field `i` is
 * `bytes[starts[i], ends[i])`, already unquoted and unescaped (UTF-8, as in the file). Valid only
 * during the callback that receives it.
 */
export interface ByteRecord {
  bytes: Buffer;
  /**
   * The input position of `bytes[0]` (so field k is at `offset + starts[k]` in the file), or -1
   * when `bytes` is an unescaped copy (a record whose quoted fields hold doubled quotes).
   */
  offset: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  fields: number;
  /** The physical line the record starts on (1-based). */
  line: number;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * The same RFC 4180 dialect as `CsvRecordParser` (csv-records.ts), over bytes instead of text,
 * for the files a node reads by the hundred million rows (a month of fare taps is 20 GB): no
 * string is made unless the caller asks for one, so a row costs its bytes' scan and nothing else.
 * Fields may be quoted, hold commas, doubled quotes and line breaks; records end with CRLF, LF or
 * CR; a leading UTF-8 byte-order mark and empty lines are skipped; the same malformed records are
 * errors with the same lines. Delimiters are ASCII, so they never occur inside a multi-byte UTF-8
 * character and the byte scan splits exactly where the text scan does.
 *
 * A record cut by a chunk's end is carried over and scanned again whole with the next chunk
 * (a record is short; the carry is bounded by `MAX_RECORD_BYTES`).
 */
export class CsvByteRecordParser {
  /** Bytes carried from one push to the next (`work[0, carried)`: an incomplete record). */
  private work = Buffer.alloc(0);
  private carried = 0;
  /** The input position of the next chunk's first byte. */
  private consumed = 0;
  private first = true;
  private skipLineFeed = false;
  private line = 1;
  private readonly record: ByteRecord = {
    bytes: Buffer.alloc(0),
    offset: 0,
    starts: new Int32Array(64),
    ends: new Int32Array(64),
    fields: 0,
    line: 1,
  };
  /** Scratch for a record whose quoted fields hold doubled quotes (unescaped copies). */
  private scratch = Buffer.alloc(1024);

  /** Scans a chunk, calling `onRecord` for each record it completes. */
  push(chunk: Buffer, onRecord: (record: ByteRecord) => void): void {
    // The carried bytes and the chunk, one after the other in `work` (reused: no allocation per
    // chunk once it has the chunk's size), or the chunk itself when nothing was carried.
    let bytes = chunk;
    const base = this.consumed - this.carried;
    const inWork = this.carried > 0;
    if (inWork) {
      const size = this.carried + chunk.length;
      if (this.work.length < size) {
        const work = Buffer.allocUnsafeSlow(size);
        this.work.copy(work, 0, 0, this.carried);
        this.work = work;
      }
      chunk.copy(this.work, this.carried);
      bytes = this.work.subarray(0, size);
    }
    this.consumed += chunk.length;
    let i = 0;
    if (this.first) {
      // Fewer than three bytes so far: wait for more before deciding on a byte-order mark.
      if (bytes.length < 3) return this.carry(bytes, 0, inWork);
      this.first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
    }
    const rest = this.scan(bytes, base, i, false, onRecord);
    if (rest < bytes.length && bytes.length - rest > MAX_RECORD_BYTES)
      throw new CsvSyntaxError(this.line, `a record longer than ${MAX_RECORD_BYTES} bytes`);
    this.carry(bytes, rest, inWork);
  }

  /** Ends the input: the last record, if the text did not end with a line break. */
  end(onRecord: (record: ByteRecord) => void): void {
    const carry = Buffer.concat([this.work.subarray(0, this.carried), Buffer.of(LF)]);
    const base = this.consumed - this.carried;
    this.carried = 0;
    let i = 0;
    if (this.first) {
      this.first = false;
      if (carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf) i = 3;
    }
    if (i >= carry.length - 1) return;
    // The end of the input ends the record as a line feed would; a quoted field left open by it
    // is the only difference, and `scan` reports it when asked to finish.
    this.scan(carry, base, i, true, onRecord);
  }

  /**
   * Keeps `bytes[from, end)` for the next push, at the start of `work` (`bytes` is `work` itself
   * when `inWork`): a copy, so that the chunk is not kept alive.
   */
  private carry(bytes: Buffer, from: number, inWork: boolean): void {
    const length = bytes.length - from;
    if (inWork) this.work.copyWithin(0, from, bytes.length);
    else {
      if (this.work.length < length) this.work = Buffer.allocUnsafeSlow(Math.max(length, 1 << 16));
      bytes.copy(this.work, 0, from);
    }
    this.carried = length;
  }

  /**
   * Scans whole records from `i`; returns where the first incomplete record starts (the length
   * when none is). With `final`, an incomplete record is an unclosed quoted field: an error.
   */
  private scan(
    bytes: Buffer,
    /** The input position of `bytes[0]`. */
    base: number,
    from: number,
    final: boolean,
    onRecord: (record: ByteRecord) => void,
  ): number {
    const n = bytes.length;
    const record = this.record;
    let i = from;
    if (this.skipLineFeed && i < n) {
      this.skipLineFeed = false;
      if (bytes[i] === LF) i++;
    }
    let line = this.line;
    while (i < n) {
      // A record starts at i (or an empty line does).
      const c0 = bytes[i];
      if (c0 === CR || c0 === LF) {
        line++;
        i++;
        if (c0 === CR) {
          if (i === n) {
            this.skipLineFeed = true;
            break;
          }
          if (bytes[i] === LF) i++;
        }
        continue;
      }
      const recordStart = i;
      const recordLine = line;
      let fields = 0;
      let state = State.FieldStart;
      let fieldStart = i;
      let escaped = false;
      let ended = false;
      while (i < n) {
        let c = bytes[i];
        if (state === State.Unquoted) {
          // The hot loop: an unquoted field's bytes up to the next delimiter.
          while (c !== COMMA && c !== LF && c !== CR && c !== QUOTE && ++i < n) c = bytes[i];
          if (i === n) break;
          if (c === QUOTE) throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
          fields = this.field(fields, fieldStart, i);
          if (c === COMMA) {
            state = State.FieldStart;
            fieldStart = ++i;
            continue;
          }
          ended = true;
          break;
        } else if (state === State.FieldStart) {
          if (c === QUOTE) {
            state = State.Quoted;
            fieldStart = ++i;
          } else if (c === COMMA) {
            fields = this.field(fields, i, i);
            fieldStart = ++i;
          } else if (c === CR || c === LF) {
            fields = this.field(fields, i, i);
            ended = true;
            break;
          } else {
            state = State.Unquoted;
            fieldStart = i++;
          }
        } else if (state === State.Quoted) {
          if (c === QUOTE) state = State.QuoteInQuoted;
          else if (c === LF && i > 0 && bytes[i - 1] === CR) {
            // CRLF inside a quoted field is one line break, counted at its CR.
          } else if (c === CR || c === LF) line++;
          i++;
        } else {
          // QuoteInQuoted: a doubled quote, or the field's end.
          if (c === QUOTE) {
            escaped = true;
            state = State.Quoted;
            i++;
          } else if (c === COMMA || c === CR || c === LF) {
            fields = this.field(fields, fieldStart, i - 1);
            if (c === COMMA) {
              state = State.FieldStart;
              fieldStart = ++i;
              continue;
            }
            ended = true;
            break;
          } else {
            throw new CsvSyntaxError(line, 'text after a closing quote');
          }
        }
      }
      if (!ended) {
        if (final) throw new CsvSyntaxError(recordLine, 'a quoted field is never closed');
        this.line = recordLine;
        return recordStart;
      }
      // bytes[i] is the CR or LF that ended the record.
      const terminator = bytes[i++];
      line++;
      record.bytes = bytes;
      record.offset = base;
      record.fields = fields;
      record.line = recordLine;
      if (escaped) this.unescape(record);
      onRecord(record);
      if (terminator === CR) {
        if (i === n) {
          this.skipLineFeed = true;
          break;
        }
        if (bytes[i] === LF) i++;
      }
    }
    this.line = line;
    return n;
  }

  /** Records field `k` as `[start, end)`; returns the new field count. */
  private field(k: number, start: number, end: number): number {
    const r = this.record;
    if (k === r.starts.length) {
      const starts = new Int32Array(k * 2);
      const ends = new Int32Array(k * 2);
      starts.set(r.starts);
      ends.set(r.ends);
      (r as { starts: Int32Array }).starts = starts;
      (r as { ends: Int32Array }).ends = ends;
    }
    r.starts[k] = start;
    r.ends[k] = end;
    return k + 1;
  }

  /** Copies the record into scratch with every doubled quote made one (rare: quoted quotes). */
  private unescape(record: ByteRecord): void {
    const { bytes, starts, ends, fields } = record;
    const size = fields === 0 ? 0 : ends[fields - 1] - starts[0] + fields;
    if (this.scratch.length < size) this.scratch = Buffer.alloc(size * 2);
    const out = this.scratch;
    let o = 0;
    for (let k = 0; k < fields; k++) {
      const from = starts[k];
      starts[k] = o;
      for (let j = from; j < ends[k]; j++) {
        out[o++] = bytes[j];
        if (bytes[j] === QUOTE) j++;
      }
      ends[k] = o;
    }
    record.bytes = out;
    record.offset = -1;
  }
}
