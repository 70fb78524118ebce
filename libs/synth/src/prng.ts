/**
 * xoshiro128** (Blackman & Vigna): a small, fast, non-cryptographic generator with 128 bits of
 * state. Synthetic data needs speed and reproducibility, not secrecy; seeds come from SHA-256
 * (see `substream.ts`), so nearby entity ids still give unrelated streams.
 */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds from four 32-bit words; an all-zero state (a fixed point) is replaced by a constant. */
  constructor(a: number, b: number, c: number, d: number) {
    this.s0 = a >>> 0;
    this.s1 = b >>> 0;
    this.s2 = c >>> 0;
    this.s3 = d >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  /** Seeds from the first 16 bytes of `bytes` (little-endian words). */
  static fromBytes(bytes: Uint8Array): Prng {
    if (bytes.length < 16) throw new RangeError('Prng.fromBytes: need at least 16 bytes');
    const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
    return new Prng(
      view.getUint32(0, true),
      view.getUint32(4, true),
      view.getUint32(8, true),
      view.getUint32(12, true),
    );
  }

  /** A uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, bound); bias is below 2^-53 for every bound used here. */
  nextInt(bound: number): number {
    return Math.floor(this.nextFloat() * bound);
  }

  /** A uniform integer in [lo, hi] (inclusive). */
  nextIntBetween(lo: number, hi: number): number {
    return lo + this.nextInt(hi - lo + 1);
  }

  /** A uniform double in [lo, hi). */
  nextUniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.nextFloat() < p;
  }

  /** A standard normal deviate (Box–Muller, second deviate discarded: no hidden state). */
  nextNormal(): number {
    const u = 1 - this.nextFloat(); // (0, 1]: log(0) never happens
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A normal deviate with the given mean and standard deviation. */
  normal(mean: number, sd: number): number {
    return mean + sd * this.nextNormal();
  }

  /** exp(N(mu, sigma)). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.nextNormal());
  }

  /** 64 random bits as 16 lowercase hex digits. */
  nextHex64(): string {
    return hex32(this.nextU32()) + hex32(this.nextU32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return (
    HEX_BYTES[x >>> 24] +
    HEX_BYTES[(x >>> 16) & 0xff] +
    HEX_BYTES[(x >>> 8) & 0xff] +
    HEX_BYTES[x & 0xff]
  );
}
