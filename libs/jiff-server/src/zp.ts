import { type NumberKind, parseInteger } from './integers.js';
import { JiffServerError } from './jiff-error.js';
import type { JiffLimits } from './limits.js';

/** A field modulus as the client sent it, with its exact value. */
export interface Modulus {
  readonly value: bigint;
  readonly kind: NumberKind;
  /** The JSON value exactly as received, echoed back in dealer responses. */
  readonly raw: number | string;
}

/**
 * Checks type and size only. A numeric Zp must be a safe integer ≤ `maxNumberZp` (base clients
 * compute in doubles); a string Zp is a decimal integer of at most `maxZpDigits` digits.
 */
export function parseZp(raw: unknown, limits: JiffLimits): Modulus {
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < 2 || raw > limits.maxNumberZp) {
      throw new JiffServerError(
        'invalid-zp',
        `a numeric Zp must be an integer in [2, ${limits.maxNumberZp}]; use the bignumber extension above`,
      );
    }
    return { value: BigInt(raw), kind: 'number', raw };
  }
  if (typeof raw === 'string') {
    const value = parseInteger(raw, limits.maxZpDigits);
    if (value === undefined || value < 2n) {
      throw new JiffServerError(
        'invalid-zp',
        `a string Zp must be a decimal integer ≥ 2 of at most ${limits.maxZpDigits} digits`,
      );
    }
    return { value, kind: 'string', raw };
  }
  throw new JiffServerError('invalid-zp', 'Zp must be a number or a decimal string');
}

const SMALL_PRIMES = [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n];

/**
 * Miller–Rabin with the first 16 primes as bases: deterministic below 3.3·10^24 (2^61−1 and
 * every default JIFF prime). Above that a composite passing all 16 bases has to be crafted on
 * purpose, and it would only break the computation whose own clients chose it.
 */
export function isProbablePrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (const p of SMALL_PRIMES) {
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s += 1;
  }
  for (const a of SMALL_PRIMES) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let r = 1; r < s; r += 1) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}
