import { describe, expect, it } from 'vitest';
import { aboveMedian } from './planning-views.js';

const f = (num: number, den: number) => ({ num: BigInt(num), den: BigInt(den) });

describe('above-median indicators', () => {
  it('uses the middle value for odd counts (strictly above)', () => {
    expect(aboveMedian([f(1, 10), f(5, 10), f(3, 10)])).toEqual([0, 1, 0]);
  });

  it('uses the mean of the two middle values for even counts, exactly', () => {
    // Shares 0.1, 0.2, 0.3, 0.4: median 0.25.
    expect(aboveMedian([f(1, 10), f(2, 10), f(3, 10), f(4, 10)])).toEqual([0, 0, 1, 1]);
    // 1/3 and 2/6 are equal: a tie at the median is not above it.
    expect(aboveMedian([f(1, 3), f(2, 6)])).toEqual([0, 0]);
    // Empty zones count as share 0.
    expect(aboveMedian([f(0, 0), f(1, 2), f(1, 4)])).toEqual([0, 1, 0]);
  });
});
