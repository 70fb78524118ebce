import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { paddedListSize, padTokenList } from './padding.js';
import { checkTokenList } from './tokens.js';

describe('padding a holder list', () => {
  it('rounds up to a power of two, at least 1, never past the capacity nor below the list', () => {
    expect([0, 1, 2, 3, 5, 8, 9, 56_394].map((n) => paddedListSize(n, 65_536))).toEqual([
      1, 1, 2, 4, 8, 8, 16, 65_536,
    ]);
    expect(paddedListSize(40_000, 50_000)).toBe(50_000);
    expect(paddedListSize(50_000, 50_000)).toBe(50_000);
  });

  it('keeps the real tokens first and adds distinct random dummies no real token equals', () => {
    const real = ['a', 'b', 'c'];
    const padded = padTokenList(real, 8, seededRandom('pad'));
    expect(padded.slice(0, 3)).toEqual(real);
    expect(padded).toHaveLength(8);
    expect(() => checkTokenList(padded, 'padded')).not.toThrow();
    for (const dummy of padded.slice(3)) expect(dummy).toMatch(/^\u0000dummy:[0-9a-f]{64}$/);
    // Another holder's dummies (its own randomness) share none with these.
    const other = padTokenList([], 8, seededRandom('other'));
    expect(other.filter((t) => padded.includes(t))).toEqual([]);
  });
});
