import { describe, expect, it } from 'vitest';
import { type CsvRecord, CsvRecordParser, CsvSyntaxError } from './csv-records.js';

function parseIn(text: string, chunk: number): CsvRecord[] {
  const parser = new CsvRecordParser();
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...parser.push(text.slice(i, i + chunk)));
  return [...out, ...parser.end()];
}

function errorOf(text: string, chunk = text.length): CsvSyntaxError {
  try {
    parseIn(text, chunk);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a CsvSyntaxError');
}

const TEXT =
  '\uFEFFstop_id,stop_name,code\r\n' +
  'S1,"Civic Center ""Old Town"" Station",1\r\n' +
  '\r\n' +
  'S2,"Main St, Transit Center",\r\n' +
  'S3,"two\r\nlines",3\n' +
  'S4,,4\r' +
  'S5,plain,"5"';

const RECORDS: CsvRecord[] = [
  { fields: ['stop_id', 'stop_name', 'code'], line: 1 },
  { fields: ['S1', 'Civic Center "Old Town" Station', '1'], line: 2 },
  { fields: ['S2', 'Main St, Transit Center', ''], line: 4 },
  { fields: ['S3', 'two\r\nlines', '3'], line: 5 },
  { fields: ['S4', '', '4'], line: 7 },
  { fields: ['S5', 'plain', '5'], line: 8 },
];

describe('CsvRecordParser', () => {
  it('parses RFC 4180 text the same way whatever the chunking', () => {
    for (let chunk = 1; chunk <= TEXT.length; chunk++)
      expect(parseIn(TEXT, chunk), `chunks of ${chunk}`).toEqual(RECORDS);
  });

  it('keeps a trailing empty field and skips empty lines', () => {
    expect(parseIn('a,\n\n\nb,c\n', 3)).toEqual([
      { fields: ['a', ''], line: 1 },
      { fields: ['b', 'c'], line: 4 },
    ]);
  });

  it('locates malformed records', () => {
    expect(errorOf('a,b\nc,d"e\n').line).toBe(2);
    expect(errorOf('a,b\nc,d"e\n').message).toBe('a quote inside an unquoted field');
    expect(errorOf('a,b\n"c"d,e\n', 1).message).toBe('text after a closing quote');
    const open = errorOf('a,b\nc,d\n"e,f\ng,h\n', 2);
    expect([open.line, open.message]).toEqual([3, 'a quoted field is never closed']);
  });
});
