import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFixed, encodeFixed } from './fixed-point.js';

describe('fixed-point money', () => {
  it('encodes cents exactly, with signs and short forms', () => {
    expect(encodeFixed('2.00', 2)).toBe(200n);
    expect(encodeFixed('2.5', 2)).toBe(250n);
    expect(encodeFixed('-0.01', 2)).toBe(-1n);
    expect(encodeFixed('.75', 2)).toBe(75n);
    expect(encodeFixed(' 3 ', 2)).toBe(300n);
    expect(encodeFixed('12345678901234567.89', 2)).toBe(1234567890123456789n);
    expect(encodeFixed(0.1, 3)).toBe(100n);
  });

  it('refuses amounts that are not exact at the scale, and non-numbers', () => {
    expect(() => encodeFixed('2.005', 2)).toThrow(/decimal places/);
    for (const bad of ['', 'abc', '1e3', '0x10', '1,00', 'NaN', '--1']) {
      expect(() => encodeFixed(bad, 2)).toThrow();
    }
    expect(() => encodeFixed(Number.POSITIVE_INFINITY, 2)).toThrow(/finite/);
    expect(() => encodeFixed('1', 19)).toThrow(/scale/);
  });

  it('round-trips every integer amount at every scale', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 6 }),
        (v, s) => {
          expect(encodeFixed(decodeFixed(v, s), s)).toBe(v);
        },
      ),
    );
    expect(decodeFixed(-150n, 2)).toBe('-1.50');
    expect(decodeFixed(5n, 2)).toBe('0.05');
  });
});
