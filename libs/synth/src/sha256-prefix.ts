/**
 * The first 128 bits of SHA-256 (FIPS 180-4) of a UTF-8 string, in plain JavaScript.
 *
 * Why not node:crypto: a large streamed month seeds tens of millions of substreams (a rider-day
 * for every rider and day), each from a ~50-byte message; `crypto.hash` spends about 3 µs per
 * call crossing into C++ and allocating a Buffer, which alone cost half a minute per large day.
 * This loop reuses one scratch buffer and allocates nothing; `sha256-prefix.spec.ts` checks it
 * against node:crypto on messages of every length around the block boundaries.
 */

const K = Int32Array.from(
  [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ].map((k) => k | 0),
);

const encoder = new TextEncoder();
const schedule = new Int32Array(64);
const INITIAL = Int32Array.from(
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
  (h) => h | 0,
);
let scratch = new Uint8Array(256);

/**
 * SHA-256(`message`) truncated to its first four 32-bit words, each read little-endian from the
 * digest bytes (what `Prng.fromBytes` takes), written to `out[0..3]` as unsigned integers.
 */
export function sha256Prefix128(message: string, out: Uint32Array): void {
  // UTF-8 needs at most 3 bytes per UTF-16 unit; +72 leaves room for the padding.
  if (scratch.length < message.length * 3 + 72) scratch = new Uint8Array(message.length * 3 + 136);
  const length = encoder.encodeInto(message, scratch).written;
  digestPadded(scratch, length, INITIAL, 0, out);
}

/**
 * `sha256Prefix128` of many messages that share a prefix and end in a decimal integer (a
 * substream per rider, per rider-day): the prefix is encoded once, and the compression rounds
 * that read only its whole words are run once and kept, since a message of up to 55 bytes is a
 * single block whose first rounds read only its first words. Each digest then writes the digits
 * and runs the remaining rounds: no string, no encoding, about a sixth fewer rounds.
 */
export class PrefixedSha256 {
  private readonly prefix: Uint8Array;
  private readonly bytes: Uint8Array;
  /** Rounds run ahead (one per whole word of the prefix, at most 16). */
  private readonly ahead: number;
  /** The working variables a..h after those rounds. */
  private readonly state = new Int32Array(8);

  constructor(prefix: string) {
    this.prefix = encoder.encode(prefix);
    this.bytes = new Uint8Array(this.prefix.length + 16 + 72);
    this.bytes.set(this.prefix);
    this.ahead = Math.min(16, this.prefix.length >> 2);
    const w = schedule;
    loadWords(this.bytes, 0, w, this.ahead);
    this.state.set(INITIAL);
    compressRounds(this.state, w, 0, this.ahead);
  }

  /** The digest of the prefix followed by the decimal digits of `n` (a safe integer ≥ 0). */
  digestWithNumber(n: number, out: Uint32Array): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a safe integer ≥ 0: ${n}`);
    const bytes = this.bytes;
    let length = this.prefix.length;
    let digits = 1;
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
    for (let k = digits - 1, v = n; k >= 0; k--, v = Math.floor(v / 10))
      bytes[length + k] = 0x30 + (v % 10);
    length += digits;
    // Past 55 bytes the message takes two blocks, and the kept rounds do not apply.
    if (length > 55) digestPadded(bytes, length, INITIAL, 0, out);
    else digestPadded(bytes, length, this.state, this.ahead, out);
  }
}

/**
 * Pads `bytes[0, length)` in place (the array has room) and hashes it. `start` holds the working
 * variables after `ahead` rounds of the first block (the initial hash value when `ahead` is 0).
 */
function digestPadded(
  bytes: Uint8Array,
  length: number,
  start: Int32Array,
  ahead: number,
  out: Uint32Array,
): void {
  const blocks = Math.floor((length + 8) / 64) + 1;
  const end = blocks * 64;
  bytes.fill(0, length, end);
  bytes[length] = 0x80;
  // Bit length, big-endian in the last 8 bytes (messages here are far below 2^29 bytes).
  const bits = length * 8;
  bytes[end - 4] = bits >>> 24;
  bytes[end - 3] = (bits >>> 16) & 0xff;
  bytes[end - 2] = (bits >>> 8) & 0xff;
  bytes[end - 1] = bits & 0xff;

  const h = hashState;
  h.set(INITIAL);
  const v = workState;
  const w = schedule;
  for (let offset = 0; offset < end; offset += 64) {
    loadWords(bytes, offset, w, 16);
    const skip = offset === 0 ? ahead : 0;
    v.set(skip > 0 ? start : h);
    compressRounds(v, w, skip, 64);
    for (let i = 0; i < 8; i++) h[i] = (h[i] + v[i]) | 0;
  }
  out[0] = byteSwap(h[0]);
  out[1] = byteSwap(h[1]);
  out[2] = byteSwap(h[2]);
  out[3] = byteSwap(h[3]);
}

const hashState = new Int32Array(8);
const workState = new Int32Array(8);

/** The first `count` big-endian words of the block at `offset`. */
function loadWords(bytes: Uint8Array, offset: number, w: Int32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const j = offset + i * 4;
    w[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
}

/**
 * Rounds [from, to) of the compression function on the working variables `v` (a..h, updated).
 * With `to` 64 the schedule is expanded from `w`'s 16 words first; with `to` ≤ 16 only those
 * rounds' words are read.
 */
function compressRounds(v: Int32Array, w: Int32Array, from: number, to: number): void {
  if (to > 16) {
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
  }
  let a = v[0];
  let b = v[1];
  let c = v[2];
  let d = v[3];
  let e = v[4];
  let f = v[5];
  let g = v[6];
  let h = v[7];
  for (let i = from; i < to; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  v[0] = a;
  v[1] = b;
  v[2] = c;
  v[3] = d;
  v[4] = e;
  v[5] = f;
  v[6] = g;
  v[7] = h;
}

function byteSwap(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}
