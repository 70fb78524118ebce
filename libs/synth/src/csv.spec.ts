import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvFileWriter, csvField, csvLine, formatCents } from './csv.js';

const dir = mkdtempSync(join(tmpdir(), 'synth-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CSV (RFC 4180)', () => {
  it('quotes only fields that need it, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(12)).toBe('12');
    expect(csvField(null)).toBe('');
    expect(csvLine(['a', 'b,c', null, 3])).toBe('a,"b,c",,3\r\n');
  });

  it('formats cents as decimal dollars', () => {
    expect(formatCents(200)).toBe('2.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(12345)).toBe('123.45');
    expect(formatCents(-250)).toBe('-2.50');
  });

  it('writes a file whose reported hash, size and rows match its bytes, and parses back', () => {
    const path = join(dir, 'x.csv');
    const writer = new CsvFileWriter(path, ['id', 'name']);
    const rows = [
      ['1', 'Main St & 5th Ave, Transit Center'],
      ['2', 'Civic Center "Old Town" Station'],
      ['3', 'multi\r\nline'],
    ];
    for (const r of rows) writer.row(r);
    const written = writer.close();
    const bytes = readFileSync(path);
    expect(written.rows).toBe(3);
    expect(written.bytes).toBe(bytes.length);
    expect(written.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const parsed = parse<Record<string, string>>(bytes, { columns: true });
    expect(parsed.map((r) => [r.id, r.name])).toEqual(rows);
  });
});
