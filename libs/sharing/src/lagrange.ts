import { modInverse, type PrimeField } from '#concord/field';
import type { PartyIndex } from './parties.js';

/**
 * Lagrange coefficients at x = 0, precomputed per field. For degree 1 from parties {a, b}:
 * λ_a = b / (b - a), λ_b = a / (a - b). For degree 2 from all three: (3, -3, 1).
 */
export interface LagrangeTable {
  /** Coefficients for reconstructing a degree-1 sharing from the pair (a, b), a < b. */
  pair(a: PartyIndex, b: PartyIndex): readonly [bigint, bigint];
  /** Coefficients for parties 1, 2, 3 reconstructing a degree-2 sharing. */
  readonly degree2: readonly [bigint, bigint, bigint];
}

const tables = new Map<string, LagrangeTable>();

export function lagrangeTable(field: PrimeField): LagrangeTable {
  const cached = tables.get(field.id);
  if (cached) return cached;
  const n = field.modulus;
  const frac = (num: bigint, den: bigint): bigint => (((num * modInverse(den, n)) % n) + n) % n;
  const pairs = new Map<string, readonly [bigint, bigint]>();
  for (const [a, b] of [
    [1, 2],
    [1, 3],
    [2, 3],
  ] as const) {
    pairs.set(`${a}${b}`, [frac(BigInt(b), BigInt(b - a)), frac(BigInt(a), BigInt(a - b))]);
  }
  const table: LagrangeTable = {
    pair(a, b) {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      const coefficients = pairs.get(`${lo}${hi}`);
      if (!coefficients || lo === hi) throw new RangeError(`no Lagrange pair ${a},${b}`);
      return a < b ? coefficients : [coefficients[1], coefficients[0]];
    },
    degree2: [3n, n - 3n, 1n],
  };
  tables.set(field.id, table);
  return table;
}
