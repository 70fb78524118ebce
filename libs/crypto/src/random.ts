import { createCipheriv, createHash, randomFillSync } from 'node:crypto';
import { keystreamInto } from './cipher-pieces.js';

/**
 * A source of uniformly random bytes. Every engine function that needs randomness takes one
 * (conventions: randomness is a parameter). Production code passes `systemRandom`; tests pass a
 * `seededRandom` so that runs are reproducible.
 */
export interface RandomSource {
  /** Fills `out` with uniformly random bytes. */
  fill(out: Uint8Array): void;
}

/** The operating system's CSPRNG (OpenSSL's DRBG behind `crypto.randomFillSync`). */
export const systemRandom: RandomSource = Object.freeze({
  fill(out: Uint8Array): void {
    // randomFillSync refuses views larger than 2^31 - 1 bytes; no caller comes near that.
    randomFillSync(out);
  },
});

/**
 * A deterministic random source: the AES-256-CTR keystream under SHA-256("concord/drbg/v1" ||
 * seed). It is a sound CSPRNG while the seed stays secret, but it exists for reproducibility
 * (tests, synthetic data, known-answer vectors), never for production secrets.
 */
export function seededRandom(seed: string | Uint8Array): RandomSource {
  const seedBytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  const key = createHash('sha256').update('concord/drbg/v1').update(seedBytes).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return {
    fill(out: Uint8Array): void {
      keystreamInto(cipher, out);
    },
  };
}

/** `length` fresh random bytes. */
export function randomBytes(rng: RandomSource, length: number): Uint8Array {
  const out = new Uint8Array(length);
  rng.fill(out);
  return out;
}

/**
 * A uniform integer in [0, bound), by rejection on whole bytes with the excess top bits masked
 * (exactly uniform; expected fewer than two draws). It reads ceil(bits / 8) bytes per draw,
 * big-endian, where bits is the bit length of bound - 1 — the byte stream the known-answer
 * vectors of `#concord/dp` pin down, so both paths below must consume exactly these bytes.
 */
export function randomBelow(rng: RandomSource, bound: bigint): bigint {
  if (bound <= 0n) throw new RangeError(`randomBelow: bound must be positive, got ${bound}`);
  if (bound === 1n) return 0n;
  if (bound <= FAST_LIMIT) return BigInt(randomBelowSmall(rng, Number(bound)));
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

/** Bounds up to 2^48 take the Number path: every intermediate is an exact integer below 2^53. */
const FAST_LIMIT = 2n ** 48n;
const TWO_POW_32 = 2 ** 32;

/** One scratch buffer per draw width (1 to 6 bytes), reused: no allocation per call. */
const SCRATCH = [1, 2, 3, 4, 5, 6].map((n) => new Uint8Array(n));

/**
 * randomBelow for 2 <= bound <= 2^48 in Number arithmetic: the same width, mask, byte order and
 * rejection rule as the bigint path, without `toString(2)` or a fresh buffer. (Not re-entrant
 * through `rng.fill`, which no RandomSource is.)
 */
function randomBelowSmall(rng: RandomSource, bound: number): number {
  const max = bound - 1;
  // Bit length of max (>= 1): clz32 on the high and low 32-bit halves.
  const high = Math.floor(max / TWO_POW_32);
  const bits = high > 0 ? 64 - Math.clz32(high) : 32 - Math.clz32(max);
  const bytes = (bits + 7) >> 3;
  const topMask = 0xff >> (bytes * 8 - bits);
  const buf = SCRATCH[bytes - 1];
  for (;;) {
    rng.fill(buf);
    let value = buf[0] & topMask;
    for (let i = 1; i < bytes; i++) value = value * 256 + buf[i];
    if (value < bound) {
      buf.fill(0);
      return value;
    }
  }
}

/** A uniform random bit. */
export function randomBit(rng: RandomSource): boolean {
  const buf = new Uint8Array(1);
  rng.fill(buf);
  return (buf[0] & 1) === 1;
}

/**
 * Wraps a source with a read-ahead buffer so that samplers drawing a few bytes at a time do not
 * pay the underlying call per draw. The bytes delivered are exactly the wrapped stream, in order.
 */
export function bufferedRandom(rng: RandomSource, bufferSize = 4096): RandomSource {
  const buffer = new Uint8Array(bufferSize);
  let offset = bufferSize;
  return {
    fill(out: Uint8Array): void {
      if (out.length >= bufferSize) {
        // Drain what is buffered first so the delivered stream stays in order.
        const buffered = bufferSize - offset;
        out.set(buffer.subarray(offset), 0);
        offset = bufferSize;
        rng.fill(out.subarray(buffered));
        return;
      }
      const n = out.length;
      if (n <= 16 && bufferSize - offset >= n) {
        // The samplers' common case: a few bytes, already buffered. A plain loop, no views.
        for (let i = 0; i < n; i++) out[i] = buffer[offset + i];
        offset += n;
        return;
      }
      let written = 0;
      while (written < out.length) {
        if (offset === bufferSize) {
          rng.fill(buffer);
          offset = 0;
        }
        const take = Math.min(out.length - written, bufferSize - offset);
        out.set(buffer.subarray(offset, offset + take), written);
        offset += take;
        written += take;
      }
    },
  };
}
