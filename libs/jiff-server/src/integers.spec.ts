import { describe, expect, it } from 'vitest';
import { formatInteger, parseInteger } from './integers.js';

describe('parseInteger', () => {
  it('reads safe JSON numbers and decimal strings exactly', () => {
    expect(parseInteger(16777729, 20)).toBe(16777729n);
    expect(parseInteger('2305843009213693951', 20)).toBe(2305843009213693951n);
    expect(parseInteger('-5', 20)).toBe(-5n);
  });

  it('reads bignumber.js exponential notation when it denotes an integer', () => {
    expect(parseInteger('6.18970019642690137449562111e+26', 40)).toBe(618970019642690137449562111n);
    expect(parseInteger('1e+21', 40)).toBe(10n ** 21n);
    expect(parseInteger('1.5e+0', 40)).toBeUndefined();
    expect(parseInteger('1e+50', 40)).toBeUndefined();
  });

  it('refuses everything else', () => {
    for (const bad of [
      1.5,
      2 ** 60,
      NaN,
      Infinity,
      '0x10',
      '1 ',
      '',
      '١٢',
      '1e-3',
      null,
      {},
      [],
      true,
    ]) {
      expect(parseInteger(bad, 40)).toBeUndefined();
    }
    expect(parseInteger('1'.repeat(41), 40)).toBeUndefined();
  });
});

describe('formatInteger', () => {
  it('writes numbers for number clients and decimal strings for bignumber clients', () => {
    expect(formatInteger(12n, 'number')).toBe(12);
    expect(formatInteger(10n ** 30n, 'string')).toBe('1000000000000000000000000000000');
  });
});
