import { describe, expect, it } from 'vitest';
import {
  add,
  addInto,
  combineSmall,
  fromSafeIntegers,
  sub,
  toBigInts,
  toSafeIntegers,
  vectorOf,
} from './field-vector.js';
import { fieldWithLimbs } from './prime-field.js';

// The kernels reduce limbs without branches (a sign mask instead of a comparison); these cases
// put every limb at the edges of its prime, where an off-by-one in a mask shows.
const fields = [1, 2, 3].map(fieldWithLimbs);
const limbEdges = (p: number): number[] => [0, 1, 2, (p - 1) / 2, (p + 1) / 2, p - 2, p - 1];
const mod = (x: bigint, p: number): number => Number(((x % BigInt(p)) + BigInt(p)) % BigInt(p));

describe.each(fields)('limb arithmetic at the edges of each prime, $id', (field) => {
  // Every pair of edge limbs, limb by limb: a[i] and b[i] run over all edge pairs.
  const pairs = limbEdges(field.primes[0]).length ** 2;
  const vectorsOf = (pick: (p: number, i: number) => number) =>
    vectorOf(
      field,
      pairs,
      Uint32Array.from({ length: field.limbs * pairs }, (_, j) =>
        pick(field.primes[Math.floor(j / pairs)], j % pairs),
      ),
    );
  const a = vectorsOf((p, i) => limbEdges(p)[Math.floor(i / limbEdges(p).length)]);
  const b = vectorsOf((p, i) => limbEdges(p)[i % limbEdges(p).length]);
  const limbs = (f: (x: bigint, y: bigint) => bigint) =>
    Array.from(a.data, (x, j) =>
      mod(f(BigInt(x), BigInt(b.data[j])), field.primes[Math.floor(j / pairs)]),
    );

  it('adds and subtracts limb by limb, every result below its prime', () => {
    expect(Array.from(add(a, b).data)).toEqual(limbs((x, y) => x + y));
    expect(Array.from(sub(a, b).data)).toEqual(limbs((x, y) => x - y));
    const t = { ...a, data: a.data.slice() };
    addInto(t, b);
    expect(Array.from(t.data)).toEqual(limbs((x, y) => x + y));
  });

  it('combines with small coefficients and halves, limb by limb', () => {
    for (const [c0, c1] of [
      [1, 1],
      [2, -1],
      [-1, 2],
      [3, -3],
    ]) {
      for (const halve of [false, true]) {
        const got = combineSmall(
          [
            { coefficient: c0, vector: a },
            { coefficient: c1, vector: b },
          ],
          halve,
        );
        const expected = Array.from(a.data, (x, j) => {
          const p = field.primes[Math.floor(j / pairs)];
          const sum = mod(BigInt(c0) * BigInt(x) + BigInt(c1) * BigInt(b.data[j]), p);
          return halve ? mod(BigInt(sum) * BigInt((p + 1) / 2), p) : sum;
        });
        expect(Array.from(got.data)).toEqual(expected);
      }
    }
  });

  it('encodes values on both sides of the smallest prime exactly', () => {
    const small = Math.min(...field.primes);
    const bound = field.limbs === 1 ? (small - 1) / 2 : Number.MAX_SAFE_INTEGER;
    const candidates = [0, 1, -1, small - 1, -(small - 1), small, -small, small + 1, bound, -bound];
    const values = candidates.filter((v) => Math.abs(v) <= bound);
    const v = fromSafeIntegers(field, values);
    expect(Array.from(toSafeIntegers(v))).toEqual(values);
    expect(toBigInts(v)).toEqual(values.map(BigInt));
    for (let l = 0; l < field.limbs; l++) {
      const p = field.primes[l];
      expect(Array.from(v.data.subarray(l * values.length, (l + 1) * values.length))).toEqual(
        values.map((x) => mod(BigInt(x), p)),
      );
    }
  });
});

describe('one-limb signed decoding at the half-way point', () => {
  it('reads (p − 1)/2 as positive and (p + 1)/2 as negative', () => {
    const field = fieldWithLimbs(1);
    const p = field.primes[0];
    const v = vectorOf(field, 4, Uint32Array.of((p - 1) / 2, (p + 1) / 2, p - 1, 0));
    expect(Array.from(toSafeIntegers(v))).toEqual([(p - 1) / 2, -(p - 1) / 2, -1, 0]);
    expect(toBigInts(v)).toEqual([(p - 1) / 2, -(p - 1) / 2, -1, 0].map(BigInt));
  });
});
