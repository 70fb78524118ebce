import { describe, expect, it } from 'vitest';
import { JIFF_PRIMES, jiffPrimeFor } from './jiff-prime.js';

describe('jiffPrimeFor', () => {
  it('picks the smallest JIFF prime above the plan field', () => {
    expect(jiffPrimeFor(2n ** 62n)).toBe(2n ** 127n - 1n);
    expect(jiffPrimeFor(2n ** 186n)).toBe(2n ** 255n - 19n);
    expect(() => jiffPrimeFor(2n ** 255n)).toThrow(RangeError);
    expect(JIFF_PRIMES.every((p, i) => i === 0 || p > JIFF_PRIMES[i - 1])).toBe(true);
  });
});
