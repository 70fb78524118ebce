import {
  ceilToSignificantDigits,
  intervalHalfWidth,
  type ReleasePrivacy,
  releasePrivacy,
  totalNoiseVariance,
} from '#concord/accounting';
import { Rational } from '#concord/dp';
import type { ProtocolAnalysis } from './analyze-protocol.js';
import { calibrateOutputNoise } from './noise-calibration.js';
import { outputNoiseLaw } from './output-release.js';
import { PRIVACY_WINDOWS } from './protocol-definition.js';
import { ProtocolError } from './protocol-error.js';
import { parseBudget, planNoiseOf } from './session-plan.js';

/** The δ accuracy previews state ε at: the ledger's and every report's. */
const ACCURACY_DELTA = 1e-9;

/** One output's precision at a budget, before anything is spent. */
export interface OutputAccuracy {
  readonly name: string;
  readonly title: string;
  readonly unit: string;
  /** This output's part of the budget (budget × its budgetShare), exact. */
  readonly budget: string;
  /** Half-width of the interval every released cell will carry; exactly what the release publishes. */
  readonly halfWidth: string;
  readonly confidenceLevel: string;
  readonly noiseVariance: number;
}

/** What a request at `budget` would buy: per output, the half-width; and what it would cost. */
export interface ProtocolAccuracy {
  readonly protocol: { readonly id: string; readonly version: string };
  readonly mechanism: 'discrete-gaussian' | 'polya-laplace';
  readonly budget: string;
  readonly outputs: readonly OutputAccuracy[];
  /** The privacy statement the report will carry (same function as the report's). */
  readonly privacy: ReleasePrivacy;
}

/**
 * The precision a request at `budget` buys, computed exactly as the release will compute it: the
 * same calibration (`calibrateOutputNoise`) and the same noise law and half-width
 * (`outputNoiseLaw`, `intervalHalfWidth`), so the preview equals what is then published.
 * `cells` gives each output's cell count (for ξ = τ·d in the privacy statement).
 */
export function protocolAccuracy(
  analysis: ProtocolAnalysis,
  budgetText: string,
  cells: (output: string) => number,
  alpha = 0.05,
): ProtocolAccuracy {
  const d = analysis.definition;
  const budget = parseBudget(budgetText, d.privacy.minBudget, d.privacy.maxBudget);
  const outputs = analysis.outputs.map((o, i) => {
    const def = d.outputs[i];
    const share = budget.mul(Rational.parse(def.budgetShare));
    const noise = calibrateOutputNoise(d.privacy.mechanism, share, o.sensitivity);
    const law = outputNoiseLaw({ noise: planNoiseOf(noise) });
    return {
      accuracy: {
        name: o.name,
        title: def.title,
        unit: def.unit,
        budget: share.toString(),
        halfWidth: String(intervalHalfWidth(law, alpha)),
        confidenceLevel: String(1 - alpha),
        noiseVariance: totalNoiseVariance(law),
      },
      privacy: {
        name: o.name,
        rho: noise.rho,
        xi: noise.xiFor(Math.max(1, cells(o.name))),
        pureEpsilon: noise.epsilon ?? null,
      },
    };
  });
  return {
    protocol: { id: d.id, version: d.version },
    mechanism: d.privacy.mechanism,
    budget: budget.toString(),
    outputs: outputs.map((o) => o.accuracy),
    privacy: releasePrivacy(
      d.privacy.mechanism,
      outputs.map((o) => o.privacy),
      ACCURACY_DELTA,
      PRIVACY_WINDOWS[d.privacyUnit.window],
    ),
  };
}

/** The budget a target half-width needs, per output. */
export interface BudgetForHalfWidth {
  readonly name: string;
  readonly unit: string;
  readonly halfWidth: string;
  /** The smallest budget on the search grid giving at most `halfWidth`; null if even the most allowed budget does not. */
  readonly budget: string | null;
  /** The half-width that budget gives (or the protocol's largest budget gives, when null). */
  readonly achieved: string;
}

/** Budgets are proposed to 3 significant digits: short enough to type, never below need. */
const DIGITS = 3;

/**
 * For a target half-width (in each output's unit), the smallest budget in the protocol's range,
 * to 3 significant digits, at which each chosen output's interval is at most that wide. The
 * half-width only shrinks as the budget grows, so a bisection over the range finds it; the
 * result is checked with `protocolAccuracy` itself, so requesting that budget gives it.
 */
export function budgetForHalfWidth(
  analysis: ProtocolAnalysis,
  target: bigint,
  cells: (output: string) => number,
  only?: string,
): BudgetForHalfWidth[] {
  const d = analysis.definition;
  if (target < 0n) throw new ProtocolError('invalid-budget', 'a half-width must be >= 0');
  const names = d.outputs.map((o) => o.name).filter((n) => only === undefined || n === only);
  if (names.length === 0) {
    throw new ProtocolError('invalid-parameters', `protocol ${d.id} has no output ${only}`);
  }
  const min = Rational.parse(d.privacy.minBudget);
  const max = Rational.parse(d.privacy.maxBudget);
  const widthAt = (budget: Rational, name: string): bigint =>
    BigInt(
      protocolAccuracy(analysis, budget.toString(), cells).outputs.find((o) => o.name === name)!
        .halfWidth,
    );
  return names.map((name) => {
    const unit = d.outputs.find((o) => o.name === name)!.unit;
    const atMax = widthAt(max, name);
    if (atMax > target) {
      return { name, unit, halfWidth: target.toString(), budget: null, achieved: String(atMax) };
    }
    const atMin = widthAt(min, name);
    if (atMin <= target) {
      return {
        name,
        unit,
        halfWidth: target.toString(),
        budget: min.toString(),
        achieved: String(atMin),
      };
    }
    // Invariant: width(lo) > target >= width(hi).
    let lo = min;
    let hi = max;
    for (let step = 0; step < 60; step += 1) {
      const rounded = roundUp(lo.add(hi).div(2n));
      if (rounded.gte(hi) || rounded.lte(lo)) break;
      if (widthAt(rounded, name) <= target) hi = rounded;
      else lo = rounded;
    }
    return {
      name,
      unit,
      halfWidth: target.toString(),
      budget: hi.toString(),
      achieved: String(widthAt(hi, name)),
    };
  });
}

/** A positive rational rounded up to `DIGITS` significant decimal digits. */
function roundUp(x: Rational): Rational {
  return ceilToSignificantDigits(x, DIGITS);
}
