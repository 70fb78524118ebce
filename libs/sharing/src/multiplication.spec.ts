import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { type FieldVector, fieldWithLimbs, fromBigInts, toBigInts } from '#concord/field';
import {
  finishMultiplication,
  type MultiplicationStart,
  startInnerProducts,
  startMultiplication,
} from './multiplication.js';
import { othersOf, PARTIES, type PartyIndex } from './parties.js';
import { openChecked, type ShareMessage, type Shares, shareVector } from './shamir.js';

const mod = (x: bigint, n: bigint): bigint => {
  const r = ((x % n) + n) % n;
  return r > (n - 1n) / 2n ? r - n : r;
};

/** Runs one resharing round among three in-process parties and opens the result. */
function runRound(starts: MultiplicationStart[]): bigint[] {
  const outputs = PARTIES.map((p) => {
    const inbound = new Map<PartyIndex, ShareMessage>();
    for (const q of othersOf(p)) inbound.set(q, starts[q - 1].outbound.get(p)!);
    return finishMultiplication(starts[p - 1].state, inbound);
  });
  return toBigInts(openChecked(1, outputs as unknown as Shares));
}

describe.each([1, 2, 3].map(fieldWithLimbs))('multiplication over $id', (field) => {
  const value = fc.oneof(
    fc.constantFrom(0n, 1n, -1n, field.maxMagnitude),
    fc.bigInt({ min: -field.maxMagnitude, max: field.maxMagnitude }),
  );

  it('multiplies elementwise, with the result consistent and correct mod N', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 25 }),
        fc.string(),
        (pairs, seed) => {
          const rng = seededRandom(seed);
          const x = pairs.map((p) => p[0]);
          const y = pairs.map((p) => p[1]);
          const sx = shareVector(fromBigInts(field, x), rng);
          const sy = shareVector(fromBigInts(field, y), rng);
          const starts = PARTIES.map((p) => startMultiplication(p, sx[p - 1], sy[p - 1], rng));
          expect(runRound(starts)).toEqual(x.map((a, i) => mod(a * y[i], field.modulus)));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('computes grouped inner products with one reshare per output', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, value, fc.integer({ min: -1, max: 3 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.string(),
        (terms, seed) => {
          const rng = seededRandom(seed);
          const shares = (vs: bigint[]): Shares => shareVector(fromBigInts(field, vs), rng);
          const sx = shares(terms.map((t) => t[0]));
          const sy = shares(terms.map((t) => t[1]));
          const groupOf = Int32Array.from(terms.map((t) => t[2]));
          const starts = PARTIES.map((p) =>
            startInnerProducts(p, sx[p - 1], sy[p - 1], groupOf, 4, rng),
          );
          for (const s of starts) {
            for (const m of s.outbound.values())
              if (m.kind === 'vector') expect(m.vector.length).toBe(4);
          }
          const expected = [0, 1, 2, 3].map((g) =>
            mod(
              terms.filter((t) => t[2] === g).reduce((acc, t) => acc + t[0] * t[1], 0n),
              field.modulus,
            ),
          );
          expect(runRound(starts)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('multiplication as a degree-1 sharing', () => {
  it('products can be multiplied again (depth 2) and stay consistent', () => {
    const field = fieldWithLimbs(2);
    const rng = seededRandom('depth');
    const sh = (v: bigint[]): Shares => shareVector(fromBigInts(field, v), rng);
    const [a, b, c] = [sh([3n, -4n]), sh([5n, 6n]), sh([7n, 8n])];
    const mulRound = (x: Shares, y: Shares): FieldVector[] => {
      const starts = PARTIES.map((p) => startMultiplication(p, x[p - 1], y[p - 1], rng));
      return PARTIES.map((p) => {
        const inbound = new Map<PartyIndex, ShareMessage>();
        for (const q of othersOf(p)) inbound.set(q, starts[q - 1].outbound.get(p)!);
        return finishMultiplication(starts[p - 1].state, inbound);
      });
    };
    const ab = mulRound(a, b) as unknown as Shares;
    const abc = mulRound(ab, c) as unknown as Shares;
    expect(toBigInts(openChecked(3, abc))).toEqual([105n, -192n]);
  });
});
