import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bufferedRandom, seededRandom } from '#concord/crypto';
import { NoisePool } from './noise-pool.js';
import { type NoiseSpec, noiseSpecKey } from './noise-spec.js';
import { sampleNoiseVector } from './noise-vector.js';
import { Rational } from './rational.js';

const gaussian: NoiseSpec = { mechanism: 'discrete-gaussian', shareSigma2: Rational.of(80) };
const polya: NoiseSpec = { mechanism: 'polya-laplace', gamma: Rational.of(1, 8), honestParties: 2 };

describe('sampleNoiseVector and noise specs', () => {
  it('keys specs canonically', () => {
    expect(noiseSpecKey(gaussian)).toBe('discrete-gaussian:80');
    expect(noiseSpecKey(polya)).toBe('polya-laplace:1/8:2');
    expect(noiseSpecKey({ ...gaussian, shareSigma2: Rational.of(160, 2) })).toBe(
      'discrete-gaussian:80',
    );
  });

  it('is deterministic for a seeded source and refuses invalid specs and counts', () => {
    const a = sampleNoiseVector(seededRandom('vec'), polya, 50);
    const b = sampleNoiseVector(bufferedRandom(seededRandom('vec')), polya, 50);
    expect(a).toEqual(b);
    expect(sampleNoiseVector(seededRandom('vec'), polya, 0)).toEqual([]);
    const invalid = { code: 'invalid-parameter' };
    expect(() => sampleNoiseVector(seededRandom('x'), gaussian, -1)).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => sampleNoiseVector(seededRandom('x'), gaussian, 1.5)).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() =>
      sampleNoiseVector(
        seededRandom('x'),
        { mechanism: 'discrete-gaussian', shareSigma2: Rational.ZERO },
        1,
      ),
    ).toThrowError(expect.objectContaining(invalid));
    expect(() =>
      sampleNoiseVector(seededRandom('x'), { ...polya, honestParties: 0 }, 1),
    ).toThrowError(expect.objectContaining(invalid));
  });
});

describe('NoisePool', () => {
  it('deals pre-sampled noise first in, first out: the dealt stream is the sampler stream', () => {
    const pool = new NoisePool({ spec: gaussian, rng: seededRandom('pool'), capacity: 100 });
    expect(pool.size).toBe(0);
    expect(pool.refill()).toBe(100);
    const dealt = [...pool.take(30), ...pool.take(70)];
    expect(dealt).toEqual(sampleNoiseVector(seededRandom('pool'), gaussian, 100));
    expect(pool.size).toBe(0);
  });

  it('never samples in take: an empty pool throws pool-exhausted and removes nothing', () => {
    const pool = new NoisePool({ spec: polya, rng: seededRandom('pool/empty'), capacity: 10 });
    pool.refill(4);
    expect(() => pool.take(5)).toThrowError(expect.objectContaining({ code: 'pool-exhausted' }));
    expect(pool.size).toBe(4);
    expect(pool.take(4)).toHaveLength(4);
  });

  it('refills in bounded batches up to capacity, keeping order across refills', () => {
    const pool = new NoisePool({ spec: gaussian, rng: seededRandom('pool/batches'), capacity: 10 });
    expect(pool.refill(3)).toBe(3);
    expect(pool.refill(3)).toBe(3);
    const first = pool.take(5);
    expect(pool.refill()).toBe(9);
    expect(pool.refill()).toBe(0);
    const rest = pool.take(10);
    expect([...first, ...rest]).toEqual(
      sampleNoiseVector(seededRandom('pool/batches'), gaussian, 15),
    );
  });

  it('calls onLowWater when a take leaves it below the mark, and reports needsRefill', () => {
    const calls: number[] = [];
    const pool = new NoisePool({
      spec: gaussian,
      rng: seededRandom('pool/low'),
      capacity: 8,
      lowWater: 3,
      onLowWater: (p) => calls.push(p.size),
    });
    pool.refill();
    pool.take(4);
    expect(calls).toEqual([]);
    expect(pool.needsRefill).toBe(false);
    pool.take(2);
    expect(calls).toEqual([2]);
    expect(pool.needsRefill).toBe(true);
  });

  it('refillInBatches awaits the caller between batches and does not run twice at once', async () => {
    const pool = new NoisePool({ spec: gaussian, rng: seededRandom('pool/async'), capacity: 10 });
    const sizes: number[] = [];
    const pause = async (): Promise<void> => {
      sizes.push(pool.size);
      await Promise.resolve();
    };
    const running = pool.refillInBatches(4, pause);
    expect(pool.isRefilling).toBe(true);
    expect(await pool.refillInBatches(4, pause)).toBe(0);
    expect(await running).toBe(10);
    expect(sizes).toEqual([4, 8]);
    expect(pool.isRefilling).toBe(false);
    expect(pool.take(10)).toEqual(sampleNoiseVector(seededRandom('pool/async'), gaussian, 10));
  });

  it('keeps working across many small takes (internal compaction preserves order)', () => {
    const cheap: NoiseSpec = { mechanism: 'polya-laplace', gamma: Rational.ONE, honestParties: 2 };
    const pool = new NoisePool({ spec: cheap, rng: seededRandom('pool/long'), capacity: 1500 });
    const dealt: bigint[] = [];
    for (let round = 0; round < 4; round += 1) {
      pool.refill();
      while (pool.size > 300) dealt.push(...pool.take(7));
    }
    dealt.push(...pool.take(pool.size));
    const expected = sampleNoiseVector(seededRandom('pool/long'), cheap, dealt.length);
    expect(dealt).toEqual(expected);
  });

  it('never shows pooled values in logs or JSON', () => {
    const pool = new NoisePool({ spec: gaussian, rng: seededRandom('pool/secret'), capacity: 5 });
    pool.refill();
    expect(inspect(pool)).toBe('NoisePool(discrete-gaussian:80, 5/5)');
    expect(JSON.parse(JSON.stringify(pool))).toEqual({
      key: 'discrete-gaussian:80',
      size: 5,
      capacity: 5,
    });
    pool.clear();
    expect(pool.size).toBe(0);
  });

  it('validates its options', async () => {
    const invalid = { code: 'invalid-parameter' };
    const rng = seededRandom('pool/options');
    expect(() => new NoisePool({ spec: gaussian, rng, capacity: 0 })).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => new NoisePool({ spec: gaussian, rng, capacity: 4, lowWater: 5 })).toThrowError(
      expect.objectContaining(invalid),
    );
    const pool = new NoisePool({ spec: gaussian, rng, capacity: 4 });
    expect(() => pool.take(-1)).toThrowError(expect.objectContaining(invalid));
    expect(() => pool.refill(-1)).toThrowError(expect.objectContaining(invalid));
    await expect(pool.refillInBatches(0, () => Promise.resolve())).rejects.toThrowError(
      expect.objectContaining(invalid),
    );
  });
});
