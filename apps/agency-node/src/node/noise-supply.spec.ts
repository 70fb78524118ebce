import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import type { PlanOutput } from '#concord/protocol';
import { NoiseSupply } from './noise-supply.js';

const output = (name: string, length: number, shareSigma2 = '64'): PlanOutput =>
  ({
    name,
    length,
    noise: { mechanism: 'discrete-gaussian', shareSigma2 },
  }) as unknown as PlanOutput;

describe('the noise supply', () => {
  it('draws one exact-integer noise vector per output, of the output’s length', () => {
    const supply = new NoiseSupply(seededRandom('noise-supply'));
    const noise = supply.draw([output('a', 100), output('b', 3, '250000')]);
    expect(noise.map((v) => v.length)).toEqual([100, 3]);
    for (const v of noise) for (const x of v) expect(Number.isInteger(x)).toBe(true);
    // Share variance 64: values of a few tens, not all equal.
    expect(new Set(noise[0]).size).toBeGreaterThan(10);
    expect(Math.max(...noise[0].map(Math.abs))).toBeLessThan(64 * 8);
  });

  it('serves different sessions different noise, and a prefilled pool without sampling', () => {
    const supply = new NoiseSupply(seededRandom('noise-supply-2'));
    supply.prefill([{ shareSigma2: '64', count: 1000 }]);
    const first = supply.draw([output('a', 50)]);
    const second = supply.draw([output('a', 50)]);
    expect(Array.from(first[0])).not.toEqual(Array.from(second[0]));
  });
});
