import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { fieldWithLimbs, fromBigInts, toBigInts, vectorOf, type FieldVector } from '#concord/field';
import { othersOf, PARTIES, type PartyIndex } from './parties.js';
import {
  dealVector,
  firstInconsistency,
  openChecked,
  reconstructPair,
  shareFromMessage,
  type Shares,
  shareVector,
} from './shamir.js';
import { SharingError } from './sharing-error.js';

const fields = [1, 2, 3].map(fieldWithLimbs);
const pairs: [PartyIndex, PartyIndex][] = [
  [1, 2],
  [1, 3],
  [2, 3],
  [3, 1],
];

function secretArb(limbs: number): fc.Arbitrary<bigint[]> {
  const f = fieldWithLimbs(limbs);
  const value = fc.oneof(
    fc.constantFrom(0n, 1n, -1n, f.maxMagnitude, -f.maxMagnitude),
    fc.bigInt({ min: -f.maxMagnitude, max: f.maxMagnitude }),
  );
  return fc.array(value, { minLength: 1, maxLength: 30 });
}

/** The three shares a dealing produces, as each receiver would hold them. */
function sharesFromDealing(secret: FieldVector, dealer: PartyIndex, seed: string): Shares {
  const dealing = dealVector(secret, dealer, seededRandom(seed));
  const at = (p: PartyIndex): FieldVector =>
    p === dealer
      ? dealing.own
      : shareFromMessage(secret.field, secret.length, dealing.messages.get(p)!);
  return [at(1), at(2), at(3)];
}

describe.each(fields)('Shamir t=1, n=3 over $id', (field) => {
  it('reconstructs from every pair and the shares are consistent', () => {
    fc.assert(
      fc.property(secretArb(field.limbs), fc.string(), (xs, seed) => {
        const shares = shareVector(fromBigInts(field, xs), seededRandom(seed));
        expect(firstInconsistency(shares)).toBe(-1);
        for (const [a, b] of pairs) {
          expect(toBigInts(reconstructPair(a, shares[a - 1], b, shares[b - 1]))).toEqual(xs);
        }
        expect(toBigInts(openChecked(2, shares))).toEqual(xs);
      }),
      { numRuns: 50 },
    );
  });

  it('deals with a seed to one receiver and a vector to the other, reconstructing the same secret', () => {
    fc.assert(
      fc.property(
        secretArb(field.limbs),
        fc.constantFrom<PartyIndex>(1, 2, 3),
        fc.string(),
        (xs, dealer, seed) => {
          const secret = fromBigInts(field, xs);
          const dealing = dealVector(secret, dealer, seededRandom(seed));
          const kinds = othersOf(dealer).map((p) => dealing.messages.get(p)!.kind);
          expect(kinds).toEqual(['seed', 'vector']);
          const shares = sharesFromDealing(secret, dealer, seed);
          expect(firstInconsistency(shares)).toBe(-1);
          for (const [a, b] of pairs) {
            expect(toBigInts(reconstructPair(a, shares[a - 1], b, shares[b - 1]))).toEqual(xs);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('is linear: shares of x plus shares of y are shares of x + y', () => {
    const x = [5n, -7n, field.maxMagnitude];
    const y = [10n, 7n, -1n];
    const sx = shareVector(fromBigInts(field, x), seededRandom('x'));
    const sy = shareVector(fromBigInts(field, y), seededRandom('y'));
    const sum = sx.map((s, i) => {
      const out = { ...s, data: s.data.slice() };
      for (let j = 0; j < out.data.length; j++) {
        const p = field.primes[Math.floor(j / s.length)];
        out.data[j] = (s.data[j] + sy[i].data[j]) % p;
      }
      return out;
    }) as unknown as Shares;
    expect(toBigInts(openChecked(1, sum))).toEqual([15n, 0n, field.maxMagnitude - 1n]);
  });
});

describe('tamper detection', () => {
  const field = fieldWithLimbs(2);
  it('detects any single modified share element and names the other two parties', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 19 }),
        fc.constantFrom<PartyIndex>(1, 2, 3),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.constantFrom(0, 1),
        (index, victim, delta, limb) => {
          const xs = Array.from({ length: 20 }, (_, i) => BigInt(i * 1000 - 5));
          const shares = shareVector(fromBigInts(field, xs), seededRandom(`t${index}`));
          const tampered = shares.map((s) => ({ ...s, data: s.data.slice() }));
          const j = limb * 20 + index;
          tampered[victim - 1].data[j] =
            (tampered[victim - 1].data[j] + delta) % field.primes[limb];
          const t = tampered as unknown as Shares;
          expect(firstInconsistency(t)).toBe(index);
          const detector = PARTIES.find((p) => p !== victim)!;
          try {
            openChecked(detector, t);
            expect.unreachable('tampering went undetected');
          } catch (e) {
            expect(e).toBeInstanceOf(SharingError);
            expect((e as SharingError).code).toBe('inconsistent-opening');
            expect((e as SharingError).suspects).toContain(victim);
            expect((e as SharingError).suspects).not.toContain(detector);
          }
        },
      ),
    );
  });
});

describe('the three-point check at the edges of the prime', () => {
  it('accepts a + c − 2b of exactly −p, 0 and p, and refuses one off either way', () => {
    const field = fieldWithLimbs(1);
    const p = field.primes[0];
    const one = (x: number): FieldVector => vectorOf(field, 1, Uint32Array.of(x));
    // (a, b, c) with a + c − 2b = −p, 0, p: b = (a + c + p) / 2 etc., all limbs below p.
    const consistent: [number, number, number][] = [
      [0, (p + 1) / 2, 1],
      [p - 1, p - 1, p - 1],
      [p - 1, 0, 1],
    ];
    for (const [a, b, c] of consistent) {
      expect(firstInconsistency([one(a), one(b), one(c)])).toBe(-1);
      for (const off of [1, p - 1]) {
        expect(firstInconsistency([one(a), one(b), one((c + off) % p)])).toBe(0);
      }
    }
  });
});
