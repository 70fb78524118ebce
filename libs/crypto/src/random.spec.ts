import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  bufferedRandom,
  randomBelow,
  randomBytes,
  type RandomSource,
  seededRandom,
  systemRandom,
} from './random.js';

describe('seededRandom', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = randomBytes(seededRandom('s1'), 64);
    expect(randomBytes(seededRandom('s1'), 64)).toEqual(a);
    expect(randomBytes(seededRandom('s2'), 64)).not.toEqual(a);
  });

  it('delivers one continuous stream whatever the read sizes', () => {
    const whole = randomBytes(seededRandom('stream'), 100);
    const rng = seededRandom('stream');
    const parts = [randomBytes(rng, 7), randomBytes(rng, 50), randomBytes(rng, 43)];
    expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
  });

  it('is the AES-256-CTR keystream under its seed, across piece boundaries in one read', () => {
    // Reads far past the 64 KiB pieces the keystream is drawn in, at odd sizes.
    const rng = seededRandom('pieces');
    const parts = [randomBytes(rng, 65_537), randomBytes(rng, 200_001), randomBytes(rng, 3)];
    const key = createHash('sha256').update('concord/drbg/v1').update('pieces').digest();
    const expected = createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(
      Buffer.alloc(265_541),
    );
    expect(Buffer.concat(parts).equals(expected)).toBe(true);
  });
});

describe('bufferedRandom', () => {
  it('preserves the wrapped stream exactly, across small and large reads', () => {
    const whole = randomBytes(seededRandom('buf'), 300);
    const rng = bufferedRandom(seededRandom('buf'), 16);
    const parts = [
      randomBytes(rng, 3),
      randomBytes(rng, 40),
      randomBytes(rng, 5),
      randomBytes(rng, 252),
    ];
    expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
  });
});

describe('randomBelow', () => {
  it('stays in range and hits every value of a small range', () => {
    const rng = seededRandom('below');
    const seen = new Set<bigint>();
    for (let i = 0; i < 2000; i++) {
      const v = randomBelow(rng, 7n);
      expect(v >= 0n && v < 7n).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
  });

  it('is roughly uniform (chi-square on 10 bins, fixed seed)', () => {
    const rng = seededRandom('chi');
    const counts = new Array<number>(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[Number(randomBelow(rng, 10n))]++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(33.7); // p = 1e-4 for 9 degrees of freedom
  });

  it('handles bounds beyond 64 bits and rejects non-positive bounds', () => {
    const big = (1n << 127n) - 1n;
    expect(randomBelow(systemRandom, big) < big).toBe(true);
    expect(randomBelow(systemRandom, 1n)).toBe(0n);
    expect(() => randomBelow(systemRandom, 0n)).toThrow(RangeError);
  });
});

/** The bigint-only randomBelow as it was before the Number fast path: the reference. */
function referenceRandomBelow(rng: RandomSource, bound: bigint): bigint {
  if (bound === 1n) return 0n;
  const bits = (bound - 1n).toString(2).length;
  const bytes = Math.ceil(bits / 8);
  const topMask = 0xff >> (bytes * 8 - bits);
  const buf = new Uint8Array(bytes);
  for (;;) {
    rng.fill(buf);
    buf[0] &= topMask;
    let value = 0n;
    for (const b of buf) value = (value << 8n) | BigInt(b);
    if (value < bound) return value;
  }
}

describe('randomBelow fast path (bounds up to 2^48)', { timeout: 60_000 }, () => {
  // Every bound around every bit and byte boundary up to 2^70 (both sides of the 2^48 switch),
  // all small bounds, and random bounds of every width.
  const edges = Array.from({ length: 70 }, (_, k) => 1n << BigInt(k + 1)).flatMap((p) => [
    p - 1n,
    p,
    p + 1n,
  ]);
  const small = Array.from({ length: 1100 }, (_, i) => BigInt(i + 1));
  const widths = seededRandom('bounds');
  const random = Array.from({ length: 600 }, (_, i) => {
    const bits = (i % 60) + 1;
    return (randomBelow(widths, 1n << BigInt(bits)) | (1n << BigInt(bits - 1))) + 1n;
  });
  const bounds = [...edges, ...small, ...random];

  it('returns the same values and consumes exactly the same bytes as the bigint path', () => {
    for (let seed = 0; seed < 6; seed++) {
      const fast = seededRandom(`fast-vs-reference-${seed}`);
      const reference = seededRandom(`fast-vs-reference-${seed}`);
      for (const bound of bounds) {
        for (let k = 0; k < 3; k++) {
          expect(randomBelow(fast, bound)).toBe(referenceRandomBelow(reference, bound));
        }
      }
      // Both streams are at the same position: the next bytes agree.
      expect(randomBytes(fast, 32)).toEqual(randomBytes(reference, 32));
    }
  });

  it('agrees through a buffered source too (as the samplers use it)', () => {
    const fast = bufferedRandom(seededRandom('buffered'), 64);
    const reference = bufferedRandom(seededRandom('buffered'), 64);
    for (let i = 0; i < 20000; i++) {
      const bound = bounds[i % bounds.length];
      expect(randomBelow(fast, bound)).toBe(referenceRandomBelow(reference, bound));
    }
  });
});
