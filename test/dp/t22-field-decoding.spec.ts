import { describe, expect, it } from 'vitest';
import { noiseTailBound } from '#concord/accounting';
import { randomBelow, seededRandom } from '#concord/crypto';
import { Rational } from '#concord/dp';
import {
  add,
  FieldError,
  fieldWithLimbs,
  fromBigInts,
  fromSafeIntegers,
  RNS_PRIMES,
  toBigInts,
  toSafeIntegers,
} from '#concord/field';
import {
  compileSessionPlan,
  outputNoiseLaw,
  ProtocolError,
  readCatalogueDirectory,
} from '#concord/protocol';
import { reconstructPair, shareVector } from '#concord/sharing';
import { PARTY_OF_ROLE } from './support/parties.js';

// T22 field decoding (docs/privacy.md): every value within ±(q − 1)/2 survives encoding,
// sharing, the addition of noise sharings, reconstruction from any two parties and decoding; and
// for every catalogue protocol the field it is compiled to makes a wrap-around (a released value
// beyond ±(q − 1)/2, which would decode to a wrong number) less likely than 2^-40, for the
// declared largest exact value and the noise at the protocol's smallest budget (the most noise).

const WRAP_LOG2_LIMIT = -40;
const rng = seededRandom('t22');

/** Boundary and random signed values of a field's decodable range. */
function probes(maxMagnitude: bigint): bigint[] {
  const fixed = [0n, 1n, -1n, 2n ** 31n, -(2n ** 31n), maxMagnitude, -maxMagnitude];
  fixed.push(maxMagnitude - 1n, -(maxMagnitude - 1n), 2n ** 53n - 1n, -(2n ** 53n - 1n));
  const random = Array.from(
    { length: 200 },
    () => randomBelow(rng, 2n * maxMagnitude + 1n) - maxMagnitude,
  );
  return [...fixed.filter((v) => v <= maxMagnitude && -v <= maxMagnitude), ...random];
}

describe('T22 field decoding', { timeout: 60_000 }, () => {
  for (let limbs = 1; limbs <= RNS_PRIMES.length; limbs++) {
    const field = fieldWithLimbs(limbs);
    it(`${field.id}: values within ±(q − 1)/2 round-trip through sharing, noise and any two shares`, () => {
      const values = probes(field.maxMagnitude);
      expect(toBigInts(fromBigInts(field, values))).toEqual(values);
      // An opening: the value's sharing plus three noise sharings that sum to zero here, so the
      // reconstructed value must be the value itself, at the edges of the range too.
      const noise = [values.map((v) => -v / 3n), values.map((v) => v / 3n), values.map(() => 0n)];
      const [s1, s2, s3] = [values, ...noise]
        .map((v) => shareVector(fromBigInts(field, v), rng))
        .reduce((acc, shares) => [
          add(acc[0], shares[0]),
          add(acc[1], shares[1]),
          add(acc[2], shares[2]),
        ]);
      for (const [a, sa, b, sb] of [
        [1, s1, 2, s2],
        [1, s1, 3, s3],
        [2, s2, 3, s3],
      ] as const) {
        expect(toBigInts(reconstructPair(a, sa, b, sb))).toEqual(values);
      }
      // Safe integers decode the same way without BigInt.
      const safe = values.filter((v) => v <= 2n ** 53n - 1n && -v <= 2n ** 53n - 1n).map(Number);
      expect(Array.from(toSafeIntegers(fromSafeIntegers(field, safe)))).toEqual(safe);
      // One past the range is refused on the way in, and wraps on the way out.
      expect(() => fromBigInts(field, [field.maxMagnitude + 1n])).toThrow(FieldError);
      const wrapped = add(fromBigInts(field, [field.maxMagnitude]), fromBigInts(field, [1n]));
      expect(toBigInts(wrapped)).toEqual([-field.maxMagnitude]);
    });
  }

  for (const entry of readCatalogueDirectory('protocols').entries()) {
    const { definition, field } = entry.analysis;
    it(`${definition.id}: ${field.id} makes a wrap less likely than 2^${WRAP_LOG2_LIMIT} for every output`, () => {
      // The smallest budget gives the most noise; a public axis gets its largest declared size,
      // or, where the plan size bound refuses that grid (reduced-fare-od-flows' zone pairs), the
      // largest common size the bound admits. The noise law does not depend on the grid's size.
      const compile = (cap: number) =>
        compileSessionPlan(entry.analysis, {
          sessionId: '00000000-0000-4000-8000-000000000022',
          parameters: Object.fromEntries(definition.parameters.map((p) => [p.name, '2026-03-10'])),
          axisValues: Object.fromEntries(
            definition.axes.flatMap((a) =>
              'public' in a.source
                ? [[a.name, Array.from({ length: Math.min(a.maxSize, cap) }, (_, i) => `k${i}`)]]
                : [],
            ),
          ),
          budget: definition.privacy.minBudget,
          parties: PARTY_OF_ROLE,
        });
      const fits = (cap: number): boolean => {
        try {
          compile(cap);
          return true;
        } catch (e) {
          if (e instanceof ProtocolError && e.code === 'plan-too-large') return false;
          throw e;
        }
      };
      let [lo, hi] = [1, Math.max(1, ...definition.axes.map((a) => a.maxSize))];
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (fits(mid)) lo = mid;
        else hi = mid - 1;
      }
      const plan = compile(lo);
      expect(plan.field).toBe(field.id);
      entry.analysis.outputs.forEach((o, i) => {
        const out = plan.outputs[i];
        // Room left for noise between the declared largest |f| and the decodable range.
        const room = field.maxMagnitude - o.magnitude;
        expect(room > 0n).toBe(true);
        // (1) The exact tail of the total noise law (accounting library), at min(room, 2^53):
        // the tail is non-increasing, so evaluating closer in only overstates it.
        const h = room > 2n ** 53n ? 2 ** 53 : Number(room);
        const tail = noiseTailBound(outputNoiseLaw(out))(h);
        expect(tail === 0 || Math.log2(tail) <= WRAP_LOG2_LIMIT).toBe(true);
        // (2) Independently, for discrete Gaussian shares: N_Z(0, s) is s-subgaussian (CKS20), so
        // the sum of three is 3s-subgaussian and P(|N| >= t) <= 2 exp(-t^2 / (6 s)).
        if (out.noise.mechanism === 'discrete-gaussian') {
          const s = Rational.parse(out.noise.shareSigma2);
          const t = Number(room);
          const log2Bound =
            1 - (t * t) / (6 * (Number(s.numerator) / Number(s.denominator))) / Math.LN2;
          expect(log2Bound).toBeLessThanOrEqual(WRAP_LOG2_LIMIT);
        }
      });
    });
  }
});
