import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { type ByteRecord, CsvByteRecordParser, MAX_RECORD_BYTES } from './csv-byte-records.js';
import { type CsvRecord, CsvRecordParser, CsvSyntaxError } from './csv-records.js';

/** The byte parser's records as text, the file fed in chunks of `chunk` bytes. */
function parseBytes(bytes: Buffer, chunk: number): CsvRecord[] {
  const parser = new CsvByteRecordParser();
  const out: CsvRecord[] = [];
  const collect = (r: ByteRecord): void => {
    const fields: string[] = [];
    for (let k = 0; k < r.fields; k++) {
      const field = r.bytes.subarray(r.starts[k], r.ends[k]);
      // A record read in place says where each field is in the input.
      if (r.offset >= 0)
        expect(bytes.subarray(r.offset + r.starts[k], r.offset + r.ends[k])).toEqual(field);
      fields.push(field.toString('utf8'));
    }
    out.push({ fields, line: r.line });
  };
  for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk), collect);
  parser.end(collect);
  return out;
}

/** The text parser's records (the reference dialect), fed whole. */
function parseText(text: string): CsvRecord[] {
  const parser = new CsvRecordParser();
  return [...parser.push(text), ...parser.end()];
}

/** What a parse gives: its records, or its error's line and message. */
function outcome(parse: () => CsvRecord[]): unknown {
  try {
    return parse();
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { line: e.line, error: e.message };
    throw e;
  }
}

const TEXT =
  '\uFEFFstop_id,stop_name,code\r\n' +
  'S1,"Civic Center ""Old Town"" Station",1\r\n' +
  '\r\n' +
  'S2,"Main St, Transit Center",\r\n' +
  'S3,"two\r\nlines",3\n' +
  'S4,,4\r' +
  'S5,"Zürich ""Hbf""","5"';

describe('CsvByteRecordParser', () => {
  it('reads what the text parser reads, whatever the chunking, even inside a character', () => {
    const bytes = Buffer.from(TEXT, 'utf8');
    const expected = parseText(TEXT);
    expect(expected[5]).toEqual({ fields: ['S5', 'Zürich "Hbf"', '5'], line: 8 });
    for (let chunk = 1; chunk <= bytes.length; chunk++)
      expect(parseBytes(bytes, chunk), `chunks of ${chunk}`).toEqual(expected);
  });

  it('agrees with the text parser on random CSV, records and errors alike', () => {
    const rng = seededRandom('csv-byte-records');
    const alphabet = ['a', 'b', '1', ',', '"', '\r', '\n', ' ', 'é', '€', '\uFEFF'];
    const pick = new Uint8Array(1);
    let errors = 0;
    for (let round = 0; round < 400; round++) {
      let text = '';
      const length = 1 + (round % 60);
      for (let i = 0; i < length; i++) {
        rng.fill(pick);
        text += alphabet[pick[0] % alphabet.length];
      }
      const bytes = Buffer.from(text, 'utf8');
      const expected = outcome(() => parseText(text));
      if (!Array.isArray(expected)) errors++;
      for (const chunk of [1, 2, 3, 7, bytes.length])
        expect(
          outcome(() => parseBytes(bytes, chunk)),
          JSON.stringify(text),
        ).toEqual(expected);
    }
    // Both kinds of input were drawn: the comparison covered errors and records.
    expect(errors).toBeGreaterThan(50);
    expect(errors).toBeLessThan(350);
  });

  it('locates malformed records on the same lines as the text parser', () => {
    for (const text of ['a,b\nc,d"e\n', 'a,b\n"c"d,e\n', 'a,b\nc,d\n"e,f\ng,h\n', '"a\r\nb"x\n'])
      expect(outcome(() => parseBytes(Buffer.from(text), 2))).toEqual(
        outcome(() => parseText(text)),
      );
  });

  it('refuses a record longer than the bound instead of buffering it', () => {
    const parser = new CsvByteRecordParser();
    const noop = (): void => {};
    parser.push(Buffer.from('a,b\n"'), noop);
    const long = Buffer.alloc(MAX_RECORD_BYTES, 0x61);
    expect(() => parser.push(long, noop)).toThrow(CsvSyntaxError);
  });
});
