import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { fieldWithLimbs, fromSafeIntegers, mul, toBigInts } from '#concord/field';
import { reconstructPair, shareVector } from '#concord/sharing';
import { runJoinInProcess } from './in-process.js';
import { shareIndicators } from './indicator-shares.js';
import { alignToJoinOrder } from './tap-holder.js';

/** A card token long enough that finding it in random bytes by chance is out of the question. */
const token = (n: number): string => `card-token-${n.toString(16).padStart(12, '0')}`;

/** A universe of distinct tokens, each enrolled only, tapping only, or both. */
const listsArb = fc
  .uniqueArray(fc.nat(), { maxLength: 14 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids.map(token)),
      fc.array(fc.constantFrom('enrolled', 'taps', 'both'), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
      fc.string(),
    ),
  )
  .map(([tokens, where, seed]) => ({
    enrolled: tokens.filter((_, i) => where[i] !== 'taps'),
    taps: tokens.filter((_, i) => where[i] !== 'enrolled'),
    seed,
  }));

function join(enrolled: string[], taps: string[], seed: string) {
  return runJoinInProcess(enrolled, taps, {
    enrolmentHolder: seededRandom(`${seed}/planning`),
    tapHolder: seededRandom(`${seed}/payments`),
  });
}

/** What the indicators must be: 1 at join position j when the token there is enrolled. */
function expectedIndicators(enrolled: string[], taps: string[], order: Uint32Array): number[] {
  const set = new Set(enrolled);
  return Array.from(order, (i) => (set.has(taps[i]) ? 1 : 0));
}

describe('private join: indicators equal the plaintext intersection', () => {
  it.each([
    ['both empty', [], []],
    ['no enrolled riders', [], [token(1), token(2)]],
    ['no taps', [token(1)], []],
    ['disjoint', [token(1), token(2)], [token(3), token(4), token(5)]],
    ['identical', [token(1), token(2), token(3)], [token(3), token(1), token(2)]],
    ['one element, matching', [token(7)], [token(7)]],
    ['one element, not matching', [token(7)], [token(8)]],
  ])('%s', (_, enrolled, taps) => {
    const run = join(enrolled, taps, 'fixed');
    const expected = expectedIndicators(enrolled, taps, run.order);
    expect(Array.from(run.match.indicators)).toEqual(expected);
    expect(run.match.intersectionSize).toBe(enrolled.filter((e) => taps.includes(e)).length);
    // The join order is a permutation of the tap holder's tokens.
    expect([...run.order].sort((a, b) => a - b)).toEqual(taps.map((_t, i) => i));
  });

  it('random overlaps', () => {
    fc.assert(
      fc.property(listsArb, ({ enrolled, taps, seed }) => {
        const run = join(enrolled, taps, seed);
        expect(Array.from(run.match.indicators)).toEqual(
          expectedIndicators(enrolled, taps, run.order),
        );
        const size = enrolled.filter((e) => taps.includes(e)).length;
        expect(run.match.intersectionSize).toBe(size);
      }),
      { numRuns: 25 },
    );
  });

  it('gives a fresh join order and fresh blinded lists on every run', () => {
    const taps = Array.from({ length: 8 }, (_, i) => token(i));
    const a = join(taps.slice(0, 4), taps, 'run-a');
    const b = join(taps.slice(0, 4), taps, 'run-b');
    expect(Array.from(a.order)).not.toEqual(Array.from(b.order));
    for (let k = 0; k < 4; k++) expect(a.messages[k].bytes).not.toEqual(b.messages[k].bytes);
  });
});

describe('private join: the indicators as Shamir shares aligned with the processor', () => {
  it('Σ indicator · value under sharing equals the plaintext sum over enrolled riders', () => {
    const field = fieldWithLimbs(2);
    fc.assert(
      fc.property(
        listsArb,
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 14, maxLength: 14 }),
        ({ enrolled, taps, seed }, spend) => {
          const run = join(enrolled, taps, seed);
          // The processor's per-token values, indexed like its token list, put in join order.
          const values = taps.map((_t, i) => spend[i]);
          const aligned = fromSafeIntegers(field, alignToJoinOrder(values, run.order));
          const ind = shareIndicators(field, run.match.indicators, seededRandom(`${seed}/ind`));
          expect(toBigInts(reconstructPair(1, ind[0], 3, ind[2]))).toEqual(
            Array.from(run.match.indicators, BigInt),
          );
          // The processor shares its values; each party multiplies its two shares locally
          // (a degree-2 sharing of the products) and the three points open at 0 with
          // Lagrange weights 3, −3, 1.
          const val = shareVector(aligned, seededRandom(`${seed}/val`));
          const products = [0, 1, 2].map((k) => toBigInts(mul(ind[k], val[k])));
          const sum = (xs: bigint[]): bigint => xs.reduce((s, x) => s + x, 0n);
          const n = field.modulus;
          const opened =
            (((3n * sum(products[0]) - 3n * sum(products[1]) + sum(products[2])) % n) + n) % n;
          const enrolledSet = new Set(enrolled);
          const plaintext = taps.reduce((s, t, i) => s + (enrolledSet.has(t) ? values[i] : 0), 0);
          expect(opened).toBe(BigInt(plaintext));
        },
      ),
      { numRuns: 15 },
    );
  });
});
