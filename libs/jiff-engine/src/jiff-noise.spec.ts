import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import {
  dealNoise,
  fromResidue,
  noiseCommitment,
  shamirShares,
  sharesFor,
  toResidue,
} from './jiff-noise.js';

const P = 2n ** 127n - 1n;

/** Lagrange interpolation at 0 through (1, y1), (2, y2), (3, y3): λ = (3, −3, 1). */
function interpolate([y1, y2, y3]: readonly bigint[]): bigint {
  return toResidue(3n * y1 - 3n * y2 + y3, P);
}

describe('JIFF noise dealing', () => {
  it('maps signed values into Z_p and back', () => {
    for (const v of [0n, 1n, -1n, 123456789n, -(2n ** 100n), (P - 1n) / 2n, -(P - 1n) / 2n])
      expect(fromResidue(toResidue(v, P), P)).toBe(v);
    expect(toResidue(-1n, P)).toBe(P - 1n);
  });

  it('deals degree-two sharings at the parties’ ids that reconstruct the noise', () => {
    const rng = seededRandom('deal');
    for (const v of [0n, 5n, -7n, 10n ** 30n]) {
      const shares = shamirShares(v, P, rng);
      expect(shares).toHaveLength(3);
      expect(shares.every((s) => s >= 0n && s < P)).toBe(true);
      expect(fromResidue(interpolate(shares), P)).toBe(v);
    }
    const dealt = dealNoise([Float64Array.of(1, -2), [3]], P, rng);
    expect(dealt.map((o) => o.map((c) => fromResidue(interpolate(c), P)))).toEqual([
      [1n, -2n],
      [3n],
    ]);
    expect(sharesFor(dealt, 2)).toEqual([dealt[0][0][1], dealt[0][1][1], dealt[1][0][1]]);
  });

  it('commits to one receiver’s shares, bound to the session and both parties', () => {
    const shares = [1n, 2n, 3n];
    const c = noiseCommitment('s', 1, 2, shares);
    expect(c).toMatch(/^[0-9a-f]{64}$/);
    expect(noiseCommitment('s', 1, 2, shares.map(String))).toBe(c);
    expect(noiseCommitment('t', 1, 2, shares)).not.toBe(c);
    expect(noiseCommitment('s', 2, 1, shares)).not.toBe(c);
    expect(noiseCommitment('s', 1, 2, [1n, 2n, 4n])).not.toBe(c);
  });
});
