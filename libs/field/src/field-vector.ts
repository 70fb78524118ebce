import type { RandomSource } from '#concord/crypto';
import { FieldError } from './field-error.js';
import { mulMod, type PrimeField, reduceSafeInteger } from './prime-field.js';

/**
 * A vector of field elements, limb-major: `data[l * length + i]` is limb l of element i. Limb-major
 * keeps every hot loop a straight pass over one prime, and the whole vector is one typed array
 * that goes to the wire without copying.
 */
export interface FieldVector {
  readonly field: PrimeField;
  readonly length: number;
  readonly data: Uint32Array;
}

export function vectorOf(field: PrimeField, length: number, data: Uint32Array): FieldVector {
  if (data.length !== field.limbs * length) {
    throw new FieldError(
      'length-mismatch',
      `expected ${field.limbs * length} limbs, got ${data.length}`,
    );
  }
  return { field, length, data };
}

export function zeros(field: PrimeField, length: number): FieldVector {
  return { field, length, data: new Uint32Array(field.limbs * length) };
}

/** Uniformly random elements (each limb uniform below its prime, hence uniform in Z_N). */
export function randomVector(field: PrimeField, length: number, rng: RandomSource): FieldVector {
  const data = new Uint32Array(field.limbs * length);
  rng.fill(new Uint8Array(data.buffer));
  const retry = new Uint32Array(1);
  const retryBytes = new Uint8Array(retry.buffer);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const end = (l + 1) * length;
    for (let i = l * length; i < end; i++) {
      let v = data[i] & 0x7fffffff;
      // Rejection keeps the limb exactly uniform; it triggers with probability < 2^-26.
      while (v >= p) {
        rng.fill(retryBytes);
        v = retry[0] & 0x7fffffff;
      }
      data[i] = v;
    }
  }
  return { field, length, data };
}

/** Encodes signed safe integers (|v| ≤ 2^53 - 1 and ≤ the field's magnitude). */
export function fromSafeIntegers(field: PrimeField, values: ArrayLike<number>): FieldVector {
  const length = values.length;
  const limit = field.maxMagnitude;
  const data = new Uint32Array(field.limbs * length);
  // The bound as a double: exact for one limb, and beyond every safe integer otherwise.
  const bound = limit > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(limit);
  // Below every limb prime, a value is its own residue or that plus the prime.
  const small = Math.min(...field.primes);
  let allSmall = true;
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (!Number.isSafeInteger(v) || v > bound || -v > bound) {
      throw new FieldError(
        'value-out-of-range',
        `element ${i} is not a safe integer within the field`,
      );
    }
    if (v >= small || -v >= small) allSmall = false;
  }
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const base = l * length;
    if (allSmall) {
      // Counts, cents and noise: |v| < p < 2^31, so `v | 0` is v and the sign picks p or 0.
      for (let i = 0; i < length; i++) data[base + i] = liftNegative(values[i] | 0, p);
      continue;
    }
    for (let i = 0; i < length; i++) {
      const v = values[i];
      data[base + i] = v >= 0 ? (v < p ? v : v % p) : v > -p ? v + p : reduceSafeInteger(v, p);
    }
  }
  return { field, length, data };
}

/** Encodes signed bigints of magnitude at most the field's `maxMagnitude`. */
export function fromBigInts(field: PrimeField, values: readonly bigint[]): FieldVector {
  const length = values.length;
  const data = new Uint32Array(field.limbs * length);
  const primes = field.primes.map(BigInt);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v > field.maxMagnitude || -v > field.maxMagnitude) {
      throw new FieldError('value-out-of-range', `element ${i} exceeds the field's magnitude`);
    }
    for (let l = 0; l < field.limbs; l++) {
      const p = primes[l];
      data[l * length + i] = Number(((v % p) + p) % p);
    }
  }
  return { field, length, data };
}

/**
 * Decodes to signed bigints in [-(N-1)/2, (N-1)/2] by Garner's mixed-radix CRT. Values near
 * zero take a double-precision fast path (exact below 2^53); the rest use BigInt.
 */
export function toBigInts(v: FieldVector): bigint[] {
  const { field, length, data } = v;
  const out = new Array<bigint>(length);
  const [p0] = field.primes;
  if (field.limbs === 1) {
    const half = (p0 - 1) / 2;
    for (let i = 0; i < length; i++) {
      const a = data[i];
      out[i] = BigInt(signedLimb(a, p0, half));
    }
    return out;
  }
  const primesBig = field.primes.map(BigInt);
  const digits = new Array<number>(field.limbs);
  const inverses = field.primes.map((p) => 1 / p);
  for (let i = 0; i < length; i++) {
    garnerDigits(field, data, length, i, digits, inverses);
    out[i] = signedFromDigits(field, digits, primesBig);
  }
  return out;
}

/**
 * Decodes to doubles: exact, and throws when an element's magnitude is not below 2^53. One- and
 * two-limb fields decode without BigInt (the common case for counts and cents).
 */
export function toSafeIntegers(v: FieldVector): Float64Array {
  const { field, length, data } = v;
  const out = new Float64Array(length);
  const [p0, p1] = field.primes;
  if (field.limbs === 1) {
    const half = (p0 - 1) / 2;
    for (let i = 0; i < length; i++) out[i] = signedLimb(data[i], p0, half);
    return out;
  }
  const inverses = field.primes.map((p) => 1 / p);
  const digits = new Array<number>(field.limbs);
  const primesBig = field.primes.map(BigInt);
  const fast = 1 << 21; // d1 · p0 stays below 2^52
  for (let i = 0; i < length; i++) {
    garnerDigits(field, data, length, i, digits, inverses);
    if (field.limbs === 2 && digits[1] < fast) {
      out[i] = digits[0] + digits[1] * p0;
    } else if (field.limbs === 2 && p1 - digits[1] <= fast) {
      out[i] = digits[0] + (digits[1] - p1) * p0;
    } else {
      const x = signedFromDigits(field, digits, primesBig);
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || -x > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new FieldError('value-out-of-range', `element ${i} is not a safe integer`);
      }
      out[i] = Number(x);
    }
  }
  return out;
}

function garnerDigits(
  field: PrimeField,
  data: Uint32Array,
  length: number,
  i: number,
  digits: number[],
  inverses: number[],
): void {
  const { primes, garnerInverses } = field;
  for (let l = 0; l < field.limbs; l++) {
    const p = primes[l];
    // digit_l = (a_l - (d_0 + d_1 p_0 + ... )) * inverse(p_0...p_{l-1}) mod p_l, evaluated by Horner.
    let acc = 0;
    for (let j = l - 1; j >= 0; j--) {
      acc = mulMod(acc, primes[j] % p, p, inverses[l]);
      acc += digits[j] % p;
      if (acc >= p) acc -= p;
    }
    let diff = data[l * length + i] - acc;
    if (diff < 0) diff += p;
    digits[l] = l === 0 ? diff : mulMod(diff, garnerInverses[l], p, inverses[l]);
  }
}

function signedFromDigits(field: PrimeField, digits: number[], primes: bigint[]): bigint {
  let x = 0n;
  for (let l = field.limbs - 1; l >= 0; l--) x = x * primes[l] + BigInt(digits[l]);
  return x > field.maxMagnitude ? x - field.modulus : x;
}

function assertSameShape(a: FieldVector, b: FieldVector): void {
  if (a.field !== b.field) throw new FieldError('field-mismatch', `${a.field.id} vs ${b.field.id}`);
  if (a.length !== b.length) throw new FieldError('length-mismatch', `${a.length} vs ${b.length}`);
}

export function add(a: FieldVector, b: FieldVector): FieldVector {
  const out = { field: a.field, length: a.length, data: a.data.slice() };
  addInto(out, b);
  return out;
}

/** target += b, in place (the hot path of every linear protocol). */
export function addInto(target: FieldVector, b: FieldVector): void {
  assertSameShape(target, b);
  const { field, length } = target;
  const t = target.data;
  const s = b.data;
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const end = (l + 1) * length;
    for (let i = l * length; i < end; i++) {
      const x = t[i] + s[i];
      t[i] = reduceOnce(x, p);
    }
  }
}

export function sub(a: FieldVector, b: FieldVector): FieldVector {
  assertSameShape(a, b);
  const { field, length } = a;
  const out = new Uint32Array(a.data.length);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const end = (l + 1) * length;
    for (let i = l * length; i < end; i++) {
      const x = a.data[i] - b.data[i];
      out[i] = liftNegative(x, p);
    }
  }
  return { field, length, data: out };
}

/** Elementwise product. */
export function mul(a: FieldVector, b: FieldVector): FieldVector {
  assertSameShape(a, b);
  const { field, length } = a;
  const out = new Uint32Array(a.data.length);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const inv = 1 / p;
    const end = (l + 1) * length;
    for (let i = l * length; i < end; i++) out[i] = mulMod(a.data[i], b.data[i], p, inv);
  }
  return { field, length, data: out };
}

/** c · a for a public signed constant c. */
export function scale(a: FieldVector, c: bigint): FieldVector {
  const { field, length } = a;
  const out = new Uint32Array(a.data.length);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const inv = 1 / p;
    const cl = Number(((c % BigInt(p)) + BigInt(p)) % BigInt(p));
    const end = (l + 1) * length;
    for (let i = l * length; i < end; i++) out[i] = mulMod(a.data[i], cl, p, inv);
  }
  return { field, length, data: out };
}

/** Σ_k c_k · v_k for public constants (one pass; used by Lagrange and resharing). */
export function linearCombination(
  terms: readonly { readonly coefficient: bigint; readonly vector: FieldVector }[],
): FieldVector {
  if (terms.length === 0) throw new FieldError('length-mismatch', 'empty linear combination');
  const { field, length } = terms[0].vector;
  for (const t of terms) assertSameShape(terms[0].vector, t.vector);
  const out = new Uint32Array(field.limbs * length);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const inv = 1 / p;
    const base = l * length;
    for (const { coefficient, vector } of terms) {
      const c = Number(((coefficient % BigInt(p)) + BigInt(p)) % BigInt(p));
      const src = vector.data;
      if (c === 1) {
        for (let i = base; i < base + length; i++) {
          const x = out[i] + src[i];
          out[i] = reduceOnce(x, p);
        }
      } else if (c !== 0) {
        for (let i = base; i < base + length; i++) {
          const x = out[i] + mulMod(src[i], c, p, inv);
          out[i] = reduceOnce(x, p);
        }
      }
    }
  }
  return { field, length, data: out };
}

/** Coefficients of `combineSmall` stay below this, so every sum of terms is exact in a double. */
const SMALL_COEFFICIENT = 1 << 18;

/**
 * Σ_k c_k · v_k for small integer constants |c_k| < 2^18 (at most 8 terms), optionally divided by
 * two. The sum is formed exactly in doubles and reduced once per element, instead of one modular
 * multiplication per term: this is the kernel of dealing, Lagrange reconstruction and degree
 * reduction, whose coefficients are all tiny (2, −1; 3, −3, 1; halves for points 1 and 3).
 */
export function combineSmall(
  terms: readonly { readonly coefficient: number; readonly vector: FieldVector }[],
  halve = false,
): FieldVector {
  if (terms.length === 0 || terms.length > 8) {
    throw new FieldError('length-mismatch', 'combineSmall takes 1 to 8 terms');
  }
  const { field, length } = terms[0].vector;
  let offset = 0;
  for (const t of terms) {
    assertSameShape(terms[0].vector, t.vector);
    if (!Number.isInteger(t.coefficient) || Math.abs(t.coefficient) >= SMALL_COEFFICIENT) {
      throw new FieldError(
        'value-out-of-range',
        'combineSmall coefficients must be small integers',
      );
    }
    offset += Math.abs(t.coefficient);
  }
  const out = new Uint32Array(field.limbs * length);
  const k = terms.length;
  const coefficients = terms.map((t) => t.coefficient);
  const sources = terms.map((t) => t.vector.data);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const inv = 1 / p;
    // Adding offset·p keeps the sum non-negative without changing it modulo p.
    const shift = offset * p;
    const base = l * length;
    const end = base + length;
    if (k === 2) {
      const [c0, c1] = coefficients;
      const [v0, v1] = sources;
      for (let i = base; i < end; i++)
        out[i] = finish(c0 * v0[i] + c1 * v1[i] + shift, p, inv, halve);
    } else if (k === 3) {
      const [c0, c1, c2] = coefficients;
      const [v0, v1, v2] = sources;
      for (let i = base; i < end; i++) {
        out[i] = finish(c0 * v0[i] + c1 * v1[i] + c2 * v2[i] + shift, p, inv, halve);
      }
    } else {
      for (let i = base; i < end; i++) {
        let acc = shift;
        for (let t = 0; t < k; t++) acc += coefficients[t] * sources[t][i];
        out[i] = finish(acc, p, inv, halve);
      }
    }
  }
  return { field, length, data: out };
}

function finish(x: number, p: number, inv: number, halve: boolean): number {
  // 0 ≤ x < 2^51, so the quotient estimate fits an int32 and `| 0` truncates it cheaply.
  let r = x - ((x * inv) | 0) * p;
  if (r < 0) r += p;
  else if (r >= p) r -= p;
  // x / 2 mod p: p is odd, so exactly one of r and r + p is even; add p exactly when r is odd.
  return halve ? (r + (p & -(r & 1))) / 2 : r;
}

// The limb helpers below have no branch on the data. Limbs are uniformly random, so a comparison
// such as `x >= p ? x - p : x` goes each way half the time, and the mispredictions made the loops
// around it two to five times slower than this (docs/performance.md, "Branch-free limb
// arithmetic"). Every prime is below 2^31, so each difference below fits an int32 and `>> 31`
// turns its sign into a mask of all ones or zero.

/** x mod p for 0 ≤ x < 2p. */
function reduceOnce(x: number, p: number): number {
  const y = x - p;
  return y + (p & (y >> 31));
}

/** x mod p for −p < x < p. */
function liftNegative(x: number, p: number): number {
  return x + (p & (x >> 31));
}

/** The signed value of a one-limb element a < p, with half = (p − 1) / 2. */
function signedLimb(a: number, p: number, half: number): number {
  return a - (p & ((half - a) >> 31));
}

/** Σ_i a_i · b_i over index groups: out[g] = Σ_{i in group g} a_i b_i (inner products). */
export function groupedInnerProducts(
  a: FieldVector,
  b: FieldVector,
  groupOf: Int32Array,
  groups: number,
): FieldVector {
  assertSameShape(a, b);
  if (groupOf.length !== a.length) throw new FieldError('length-mismatch', 'group index length');
  const { field, length } = a;
  const out = new Uint32Array(field.limbs * groups);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const inv = 1 / p;
    const base = l * length;
    const outBase = l * groups;
    for (let i = 0; i < length; i++) {
      const g = groupOf[i];
      if (g < 0) continue;
      const x = out[outBase + g] + mulMod(a.data[base + i], b.data[base + i], p, inv);
      out[outBase + g] = reduceOnce(x, p);
    }
  }
  return { field, length: groups, data: out };
}

/** out[g] = Σ_{i: groupOf[i] = g} v_i (a local, linear reduction; groupOf[i] = -1 skips i). */
export function groupedSums(v: FieldVector, groupOf: Int32Array, groups: number): FieldVector {
  if (groupOf.length !== v.length) throw new FieldError('length-mismatch', 'group index length');
  const { field, length } = v;
  const out = new Uint32Array(field.limbs * groups);
  for (let l = 0; l < field.limbs; l++) {
    const p = field.primes[l];
    const base = l * length;
    const outBase = l * groups;
    for (let i = 0; i < length; i++) {
      const g = groupOf[i];
      if (g < 0) continue;
      const x = out[outBase + g] + v.data[base + i];
      out[outBase + g] = reduceOnce(x, p);
    }
  }
  return { field, length: groups, data: out };
}

/** Elements `indices` of v, in that order (selecting declared outputs). */
export function gather(v: FieldVector, indices: ArrayLike<number>): FieldVector {
  const { field, length } = v;
  const m = indices.length;
  const out = new Uint32Array(field.limbs * m);
  for (let l = 0; l < field.limbs; l++) {
    for (let j = 0; j < m; j++) out[l * m + j] = v.data[l * length + indices[j]];
  }
  return { field, length: m, data: out };
}

export function vectorsEqual(a: FieldVector, b: FieldVector): boolean {
  if (a.field !== b.field || a.length !== b.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}
