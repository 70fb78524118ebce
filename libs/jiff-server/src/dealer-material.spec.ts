import { seededRandom } from '#concord/crypto';
import { describe, expect, it } from 'vitest';
import { dealerSecrets, parseDealerParams } from './dealer-material.js';
import { DEFAULT_JIFF_LIMITS } from './limits.js';

const zp = 16777729n;
const random = seededRandom('dealer-material');
const parse = (label: 'triplet' | 'numbers' | 'quotient', params: unknown) =>
  parseDealerParams(label, params, zp, DEFAULT_JIFF_LIMITS);

describe('dealer material', () => {
  it('triplet: a, b, a·b mod Zp', () => {
    for (let i = 0; i < 50; i += 1) {
      const [a, b, c] = dealerSecrets(parse('triplet', {}), zp, random);
      expect(c).toBe((a * b) % zp);
      expect(a < zp && b < zp).toBe(true);
    }
  });

  it('numbers: a fixed number, uniform values in [min, max), bits least significant first', () => {
    expect(dealerSecrets(parse('numbers', { number: 0, count: 3 }), zp, random)).toEqual([
      0n,
      0n,
      0n,
    ]);
    const values = dealerSecrets(parse('numbers', { count: 200, min: 10, max: 13 }), zp, random);
    expect(new Set(values)).toEqual(new Set([10n, 11n, 12n]));
    expect(dealerSecrets(parse('numbers', { number: 6, bitLength: 4 }), zp, random)).toEqual([
      0n,
      1n,
      1n,
      0n,
    ]);
    const bits = dealerSecrets(parse('numbers', { bit: true, count: 100 }), zp, random);
    expect(bits.every((b) => b === 0n || b === 1n)).toBe(true);
    const sampled = dealerSecrets(
      parse('numbers', { count: 1, bitLength: 25, max: Number(zp) }),
      zp,
      random,
    );
    expect(sampled).toHaveLength(25);
    const value = sampled.reduce((acc, bit, i) => acc + (bit << BigInt(i)), 0n);
    expect(value < zp).toBe(true);
  });

  it('numbers: accepts bignumber strings for min, max and number', () => {
    const p = parseDealerParams(
      'numbers',
      { max: '2305843009213693951', bitLength: 61 },
      2n ** 61n - 1n,
      DEFAULT_JIFF_LIMITS,
    );
    expect(dealerSecrets(p, 2n ** 61n - 1n, random)).toHaveLength(61);
  });

  it('numbers: values dealt as bits may exceed Zp, as JIFF’s rejection sampling asks', () => {
    // What `bits.rejection_sampling(1000, 2^26)` requests under Zp = 16777729 < 2^26.
    const params = parse('numbers', { count: 1, min: 1000, max: 2 ** 26, bitLength: 26 });
    const seen: bigint[] = [];
    for (let i = 0; i < 200; i += 1) {
      const bits = dealerSecrets(params, zp, random);
      expect(bits).toHaveLength(26);
      expect(bits.every((b) => b === 0n || b === 1n)).toBe(true);
      const value = bits.reduce((acc, bit, k) => acc + (bit << BigInt(k)), 0n);
      expect(value >= 1000n && value < 2n ** 26n).toBe(true);
      seen.push(value);
    }
    expect(seen.some((v) => v >= zp)).toBe(true);
    // Bounds beyond Zp's digits, as bignumber strings, up to what bitLength holds.
    const big = 2n ** 200n;
    const wide = parse('numbers', {
      min: (big - 5n).toString(),
      max: big.toString(),
      bitLength: 200,
    });
    const value = dealerSecrets(wide, zp, random).reduce((acc, b, k) => acc + (b << BigInt(k)), 0n);
    expect(value >= big - 5n && value < big).toBe(true);
    expect(() => parse('numbers', { max: (big + 1n).toString(), bitLength: 200 })).toThrow(
      expect.objectContaining({ code: 'invalid-params' }),
    );
  });

  it('quotient: r and ⌊r / constant⌋', () => {
    const [r, q] = dealerSecrets(parse('quotient', { constant: 7 }), zp, random);
    expect(q).toBe(r / 7n);
  });

  it('refuses parameters the stock dealer would mishandle', () => {
    const refused: [unknown, string][] = [
      [{ count: 0 }, 'limit-exceeded'],
      [{ count: 100_000 }, 'limit-exceeded'],
      [{ count: 1000, bitLength: 1000 }, 'limit-exceeded'],
      [{ count: 1.5 }, 'invalid-params'],
      [{ number: Number(zp) }, 'invalid-params'],
      [{ min: 3, max: 2 }, 'invalid-params'],
      [{ max: Number(zp) + 1 }, 'invalid-params'],
      [{ max: 1024, bitLength: 9 }, 'invalid-params'],
      [{ max: 2 ** 26 + 1, bitLength: 26 }, 'invalid-params'],
      [{ min: 2 ** 26, max: 2 ** 26, bitLength: 27 }, 'invalid-params'],
      [{ min: -1, max: 2 ** 26, bitLength: 26 }, 'invalid-params'],
      [{ number: Number(zp), bitLength: 25 }, 'invalid-params'],
      [{ bit: 'yes' }, 'invalid-params'],
      ['params', 'invalid-params'],
      [[1, 2], 'invalid-params'],
    ];
    for (const [params, code] of refused) {
      expect(() => parse('numbers', params)).toThrow(expect.objectContaining({ code }));
    }
    expect(() => parse('quotient', {})).toThrow(
      expect.objectContaining({ code: 'invalid-params' }),
    );
    expect(() => parse('quotient', { constant: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid-params' }),
    );
  });
});
