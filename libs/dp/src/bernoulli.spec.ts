import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { bernoulliExp, bernoulliExp1, bernoulliRational } from './bernoulli.js';
import { Rational } from './rational.js';
import { TIMEOUT, expectMajority, proportionCheck, sampleSize } from './statistical-checks.spec.js';

describe('Bernoulli samplers', () => {
  it('refuse probabilities and exponents out of range', () => {
    const rng = seededRandom('bernoulli/params');
    const invalid = { code: 'invalid-parameter' };
    expect(() => bernoulliRational(rng, Rational.of(3, 2))).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => bernoulliRational(rng, Rational.of(-1, 2))).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => bernoulliExp1(rng, Rational.of(3, 2))).toThrowError(
      expect.objectContaining(invalid),
    );
    expect(() => bernoulliExp(rng, Rational.of(-1, 7))).toThrowError(
      expect.objectContaining(invalid),
    );
  });

  it('are exact at the ends: p = 0, p = 1, gamma = 0', () => {
    const rng = seededRandom('bernoulli/ends');
    for (let i = 0; i < 200; i += 1) {
      expect(bernoulliRational(rng, Rational.ZERO)).toBe(false);
      expect(bernoulliRational(rng, Rational.ONE)).toBe(true);
      expect(bernoulliExp(rng, Rational.ZERO)).toBe(true);
    }
  });

  // T1: |p_hat - e^-gamma| <= 5 sqrt(e^-gamma (1 - e^-gamma) / N).
  const n = sampleSize(50_000, 1_000_000);
  for (const gamma of ['0', '1/7', '1', '3/2', '7']) {
    it(
      `T1 Bernoulli(exp(-${gamma})) frequency within 5 SE (N = ${n})`,
      () => {
        const g = Rational.parse(gamma);
        const p = Math.exp(-Number(g.numerator) / Number(g.denominator));
        expectMajority(`T1/${gamma}`, (rng) => {
          let successes = 0;
          for (let i = 0; i < n; i += 1) if (bernoulliExp(rng, g)) successes += 1;
          return proportionCheck(`gamma ${gamma}`, successes, n, p);
        });
      },
      TIMEOUT,
    );
  }

  it('bernoulliRational(1/3) and bernoulliExp1(1/2) frequencies within 5 SE', () => {
    expectMajority('bernoulli/rational', (rng) => {
      const m = 20_000;
      let a = 0;
      let b = 0;
      for (let i = 0; i < m; i += 1) {
        if (bernoulliRational(rng, Rational.of(1, 3))) a += 1;
        if (bernoulliExp1(rng, Rational.of(1, 2))) b += 1;
      }
      const pa = proportionCheck('1/3', a, m, 1 / 3);
      const pb = proportionCheck('exp(-1/2)', b, m, Math.exp(-0.5));
      return { pass: pa.pass && pb.pass, detail: `${pa.detail}\n${pb.detail}` };
    });
  });
});
