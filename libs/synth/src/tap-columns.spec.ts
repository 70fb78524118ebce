import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';
import { TAP_OFFLINE, TapColumns, tapFileOrder } from './tap-columns.js';

describe('tapFileOrder', () => {
  it('orders online taps by time, then offline ones by time, ties in generation order', () => {
    const rng = new Prng(1, 2, 3, 4);
    const taps = new TapColumns();
    for (let k = 0; k < 10_000; k++) {
      const i = taps.next();
      taps.seconds[i] = 20_000 + rng.nextInt(500);
      taps.flags[i] = rng.chance(0.1) ? TAP_OFFLINE : 0;
    }
    const offline = (i: number) => (taps.flags[i] & TAP_OFFLINE ? 1 : 0);
    const expected = Array.from({ length: taps.length }, (_, i) => i).sort(
      (a, b) => offline(a) - offline(b) || taps.seconds[a] - taps.seconds[b] || a - b,
    );
    expect([...tapFileOrder(taps)]).toEqual(expected);
    taps.clear();
    expect(tapFileOrder(taps)).toHaveLength(0);
  });
});
