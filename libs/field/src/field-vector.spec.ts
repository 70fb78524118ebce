import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import {
  add,
  combineSmall,
  fromBigInts,
  fromSafeIntegers,
  gather,
  groupedInnerProducts,
  groupedSums,
  linearCombination,
  mul,
  randomVector,
  scale,
  sub,
  toBigInts,
  toSafeIntegers,
} from './field-vector.js';
import { fieldById, fieldForMagnitude, fieldWithLimbs, RNS_PRIMES } from './prime-field.js';
import { vectorFromBytes, vectorToBytes } from './vector-codec.js';

const fields = [1, 2, 3].map(fieldWithLimbs);
const zerosOf = (f: ReturnType<typeof fieldWithLimbs>) => fromBigInts(f, [0n]);
const mod = (x: bigint, n: bigint): bigint => ((x % n) + n) % n;
const signed = (x: bigint, n: bigint): bigint => {
  const r = mod(x, n);
  return r > (n - 1n) / 2n ? r - n : r;
};

/** Signed values of a field, weighted towards the edges (0, ±1, ±max, limb boundaries). */
function valuesOf(limbs: number): fc.Arbitrary<bigint> {
  const f = fieldWithLimbs(limbs);
  const edges = [
    0n,
    1n,
    -1n,
    f.maxMagnitude,
    -f.maxMagnitude,
    BigInt(RNS_PRIMES[0]),
    BigInt(RNS_PRIMES[0] - 1),
    -(2n ** 52n),
  ];
  return fc.oneof(
    fc.constantFrom(...edges.filter((e) => e <= f.maxMagnitude && -e <= f.maxMagnitude)),
    fc.bigInt({ min: -f.maxMagnitude, max: f.maxMagnitude }),
  );
}

describe('field choice', () => {
  it('picks the smallest field whose signed range holds the magnitude', () => {
    expect(fieldForMagnitude(1000n).limbs).toBe(1);
    expect(fieldForMagnitude(2n ** 30n - 1n).limbs).toBe(1);
    expect(fieldForMagnitude(2n ** 30n).limbs).toBe(2);
    expect(fieldForMagnitude(2n ** 61n).limbs).toBe(3);
    expect(() => fieldForMagnitude(2n ** 200n)).toThrow(/no Concord field/);
    expect(fieldById('rns31x2')).toBe(fieldWithLimbs(2));
    expect(() => fieldById('rns31x9')).toThrow();
  });
});

describe.each(fields)('field $id', (field) => {
  const n = field.modulus;
  const arr = fc.array(valuesOf(field.limbs), { minLength: 1, maxLength: 40 });

  it('encodes and decodes signed values exactly (bigint and safe-integer paths)', () => {
    fc.assert(
      fc.property(arr, (xs) => {
        const v = fromBigInts(field, xs);
        expect(toBigInts(v)).toEqual(xs);
        const safe = xs.filter(
          (x) => x <= BigInt(Number.MAX_SAFE_INTEGER) && -x <= BigInt(Number.MAX_SAFE_INTEGER),
        );
        const w = fromSafeIntegers(field, safe.map(Number));
        expect(Array.from(toSafeIntegers(w))).toEqual(safe.map(Number));
        expect(toBigInts(w)).toEqual(safe);
      }),
    );
  });

  it('adds, subtracts, multiplies and scales like arithmetic mod N', () => {
    fc.assert(
      fc.property(arr, arr, valuesOf(field.limbs), (xs, ys, c) => {
        const m = Math.min(xs.length, ys.length);
        const [a, b] = [xs.slice(0, m), ys.slice(0, m)];
        const [va, vb] = [fromBigInts(field, a), fromBigInts(field, b)];
        expect(toBigInts(add(va, vb))).toEqual(a.map((x, i) => signed(x + b[i], n)));
        expect(toBigInts(sub(va, vb))).toEqual(a.map((x, i) => signed(x - b[i], n)));
        expect(toBigInts(mul(va, vb))).toEqual(a.map((x, i) => signed(x * b[i], n)));
        expect(toBigInts(scale(va, c))).toEqual(a.map((x) => signed(x * c, n)));
        expect(
          toBigInts(
            linearCombination([
              { coefficient: 3n, vector: va },
              { coefficient: -2n, vector: vb },
            ]),
          ),
        ).toEqual(a.map((x, i) => signed(3n * x - 2n * b[i], n)));
      }),
    );
  });

  it('combines with small coefficients, optionally halving, like exact arithmetic mod N', () => {
    const inverseOf2 = (n + 1n) / 2n;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(valuesOf(field.limbs), valuesOf(field.limbs), valuesOf(field.limbs)), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.array(fc.integer({ min: -(2 ** 18) + 1, max: 2 ** 18 - 1 }), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.boolean(),
        (rows, cs, halve) => {
          const columns = [0, 1, 2].map((k) =>
            fromBigInts(
              field,
              rows.map((r) => r[k]),
            ),
          );
          const got = combineSmall(
            cs.map((c, k) => ({ coefficient: c, vector: columns[k] })),
            halve,
          );
          const expected = rows.map((r) => {
            const sum = r.reduce((acc, v, k) => acc + BigInt(cs[k]) * v, 0n);
            return signed(halve ? sum * inverseOf2 : sum, n);
          });
          expect(toBigInts(got)).toEqual(expected);
        },
      ),
    );
    expect(() => combineSmall([{ coefficient: 2 ** 18, vector: zerosOf(field) }])).toThrow(
      /small integers/,
    );
  });

  it('computes grouped inner products and gathers', () => {
    const xs = [1n, 2n, 3n, -4n, 5n];
    const ys = [10n, 20n, -30n, 40n, 50n];
    const groups = Int32Array.from([0, 1, 0, -1, 1]);
    const ip = groupedInnerProducts(fromBigInts(field, xs), fromBigInts(field, ys), groups, 2);
    expect(toBigInts(ip)).toEqual([10n - 90n, 40n + 250n]);
    expect(toBigInts(gather(fromBigInts(field, xs), [4, 0]))).toEqual([5n, 1n]);
    expect(toBigInts(groupedSums(fromBigInts(field, xs), groups, 2))).toEqual([4n, 7n]);
  });

  it('samples canonical random elements and round-trips them through bytes', () => {
    const v = randomVector(field, 1000, seededRandom(`rand-${field.id}`));
    for (let l = 0; l < field.limbs; l++) {
      for (let i = 0; i < 1000; i++) expect(v.data[l * 1000 + i]).toBeLessThan(field.primes[l]);
    }
    const bytes = vectorToBytes(v);
    expect(bytes.byteLength).toBe(4 * field.limbs * 1000);
    const unaligned = new Uint8Array(bytes.byteLength + 1).subarray(1);
    unaligned.set(bytes);
    expect(toBigInts(vectorFromBytes(field, 1000, unaligned))).toEqual(toBigInts(v));
    // A view into a pooled Buffer at an odd offset: Buffer#slice is a view, not a copy.
    const pooled = Buffer.concat([Buffer.from([7]), Buffer.from(bytes)]).subarray(1);
    expect(toBigInts(vectorFromBytes(field, 1000, pooled))).toEqual(toBigInts(v));
  });

  it('refuses out-of-range values and malformed bytes', () => {
    expect(() => fromBigInts(field, [field.maxMagnitude + 1n])).toThrow(/magnitude/);
    expect(() => vectorFromBytes(field, 2, new Uint8Array(3))).toThrow(/expected/);
    const bad = new Uint32Array(field.limbs).fill(0xffffffff);
    expect(() => vectorFromBytes(field, 1, new Uint8Array(bad.buffer))).toThrow(/canonical/);
    expect(() => fromSafeIntegers(field, [0.5])).toThrow(/safe integer/);
  });
});

describe('safe-integer decoding', () => {
  it('throws rather than rounding a value beyond 2^53', () => {
    const field = fieldWithLimbs(3);
    expect(() => toSafeIntegers(fromBigInts(field, [2n ** 60n]))).toThrow(/not a safe integer/);
  });
});
