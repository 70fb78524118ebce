import { FieldError } from './field-error.js';

/**
 * The largest primes below 2^31. A Concord field is the ring Z_N for N the product of the first
 * k of them (a residue number system): every element is k limbs, one per prime, each a uint32
 * below 2^31. Why not one big prime with BigInt: BigInt multiplication runs at ~8 M/s on this
 * machine and allocates; a limb multiplication in doubles runs at ~85 M/s and vectors are flat
 * typed arrays that go to the wire as they are (docs/protocol.md, "Field"). Shamir sharing over
 * Z_N is Shamir over each F_p at once (the evaluation points 1, 2, 3 and their differences are
 * units mod every limb prime), so it keeps perfect privacy limb by limb.
 */
export const RNS_PRIMES: readonly number[] = Object.freeze([
  2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549,
]);

export interface PrimeField {
  /** Stable name, e.g. `rns31x2`; part of protocol plans and transcripts. */
  readonly id: string;
  readonly limbs: number;
  readonly primes: readonly number[];
  /** N, the product of the limb primes. */
  readonly modulus: bigint;
  /** The largest magnitude a signed value may have: (N - 1) / 2. */
  readonly maxMagnitude: bigint;
  /** Garner constants: inverse of p_0···p_{i-1} modulo p_i, for i ≥ 1 (index 0 unused). */
  readonly garnerInverses: readonly number[];
}

const cache = new Map<number, PrimeField>();

export function fieldWithLimbs(limbs: number): PrimeField {
  if (!Number.isInteger(limbs) || limbs < 1 || limbs > RNS_PRIMES.length) {
    throw new FieldError(
      'field-too-small',
      `a field has 1 to ${RNS_PRIMES.length} limbs, not ${limbs}`,
    );
  }
  const cached = cache.get(limbs);
  if (cached) return cached;
  const primes = RNS_PRIMES.slice(0, limbs);
  const modulus = primes.reduce((n, p) => n * BigInt(p), 1n);
  const garnerInverses = primes.map((p, i) => {
    if (i === 0) return 0;
    const prefix = primes.slice(0, i).reduce((n, q) => n * BigInt(q), 1n);
    return Number(modInverse(prefix % BigInt(p), BigInt(p)));
  });
  const field: PrimeField = Object.freeze({
    id: `rns31x${limbs}`,
    limbs,
    primes: Object.freeze(primes),
    modulus,
    maxMagnitude: (modulus - 1n) / 2n,
    garnerInverses: Object.freeze(garnerInverses),
  });
  cache.set(limbs, field);
  return field;
}

/** Parses a field id such as `rns31x2`. */
export function fieldById(id: string): PrimeField {
  const match = /^rns31x([1-6])$/.exec(id);
  if (!match) throw new FieldError('field-mismatch', `unknown field ${JSON.stringify(id)}`);
  return fieldWithLimbs(Number(match[1]));
}

/**
 * The smallest field in which every signed value of magnitude at most `maxMagnitude` decodes
 * unambiguously. Throws when even the largest field cannot hold it.
 */
export function fieldForMagnitude(maxMagnitude: bigint): PrimeField {
  for (let limbs = 1; limbs <= RNS_PRIMES.length; limbs++) {
    const field = fieldWithLimbs(limbs);
    if (maxMagnitude <= field.maxMagnitude) return field;
  }
  throw new FieldError(
    'field-too-small',
    `no Concord field holds magnitude ${maxMagnitude} (largest holds ${fieldWithLimbs(RNS_PRIMES.length).maxMagnitude})`,
  );
}

export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

/** a mod p for any safe integer a (negative too), as a limb value in [0, p). */
export function reduceSafeInteger(a: number, p: number): number {
  const r = a % p;
  return r < 0 ? r + p : r;
}

/**
 * (a · b) mod p for limbs a, b < p < 2^31, exactly, in doubles: b is split into 16-bit halves so
 * every intermediate product stays below 2^48 (exact in a double), and each reduction uses a
 * floating quotient estimate corrected by one step.
 */
export function mulMod(a: number, b: number, p: number, invP: number): number {
  const high = reduce48(a * (b >>> 16), p, invP);
  return reduce48(high * 65536 + a * (b & 0xffff), p, invP);
}

/** x mod p for 0 ≤ x < 2^53 (x an integer), with invP = 1 / p. */
export function reduce48(x: number, p: number, invP: number): number {
  let r = x - Math.floor(x * invP) * p;
  if (r < 0) r += p;
  else if (r >= p) r -= p;
  return r;
}
