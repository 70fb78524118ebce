import { describe, expect, it } from 'vitest';
import { backoffDelayMs, RECONNECT_BACKOFF } from './reconnect-backoff.js';

const policy = { baseMs: 500, capMs: 30_000 };
const highest = (n: number): number => n - 1;
const lowest = (): number => 0;

describe('reconnection backoff', () => {
  it('doubles the ceiling at each attempt from the base, up to the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 8, 20, 1000].map((a) =>
      backoffDelayMs(a, policy, highest),
    );
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('draws the wait uniformly from zero to the ceiling (full jitter)', () => {
    const asked: number[] = [];
    const wait = backoffDelayMs(3, policy, (n) => {
      asked.push(n);
      return 1234;
    });
    expect(asked).toEqual([2001]);
    expect(wait).toBe(1234);
    expect(backoffDelayMs(3, policy, lowest)).toBe(0);
  });

  it('treats attempt 0 or below as the first', () => {
    expect(backoffDelayMs(0, policy, highest)).toBe(500);
    expect(backoffDelayMs(-3, policy, highest)).toBe(500);
  });

  it('waits at most 4 s in the node (well within a session’s node lease)', () => {
    expect(backoffDelayMs(99, RECONNECT_BACKOFF, highest)).toBe(4_000);
  });
});
