import { createCipheriv, createHash, randomFillSync } from 'node:crypto';

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
      out.fill(0);
      const stream = cipher.update(out);
      out.set(stream);
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
 * (exactly uniform; expected fewer than two draws).
 */
export function randomBelow(rng: RandomSource, bound: bigint): bigint {
  if (bound <= 0n) throw new RangeError(`randomBelow: bound must be positive, got ${bound}`);
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
