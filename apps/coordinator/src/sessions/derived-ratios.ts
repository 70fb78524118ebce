import type { CatalogueEntry } from '#concord/protocol';
import type { ReleasedOutput } from './session.js';

/** One derived ratio as the API serves it. */
export interface DerivedRatio {
  readonly name: string;
  readonly title: string;
  readonly unit: string;
  /** The released outputs it divides (so slices can be re-derived from released sums). */
  readonly numerator: string;
  readonly denominator: string;
  /** The ratio of the released values, raw (a share may fall outside [0, 1]); null if d <= 0. */
  readonly values: readonly (string | null)[];
  /** Coverage of `intervals`: "0.9", at least (see `ratioInterval`). */
  readonly confidenceLevel: string;
  /**
   * Per cell, [lower, upper] bounds of the ratio, rounded outward (a share's clipped to [0, 1],
   * where it must lie); null where the denominator's interval reaches zero.
   */
  readonly intervals: readonly (readonly [string, string] | null)[];
  /**
   * Per cell, why there is no range (null where there is one): every cell has a range or a
   * reason, for everyone to read (issue 13).
   */
  readonly reasons: readonly (string | null)[];
}

/**
 * Ratios of released outputs (post-processing, free under DP), to two decimals (four for
 * shares), each with its range or the reason it has none (docs/privacy.md, 'Error bars').
 */
export function derivedRatios(
  entry: CatalogueEntry,
  outputs: ReadonlyMap<string, ReleasedOutput>,
): DerivedRatio[] {
  return entry.analysis.definition.derived.map((d) => {
    const numerator = outputs.get(d.numerator);
    const denominator = outputs.get(d.denominator);
    const num = (numerator?.values ?? []).map(BigInt);
    const den = (denominator?.values ?? []).map(BigInt);
    const hn = numerator?.intervalHalfWidth ?? 0n;
    const hd = denominator?.intervalHalfWidth ?? 0n;
    const cells = num.map((n, i) => ratioCell(d.unit, n, hn, den[i] ?? 0n, hd, d.denominator));
    return {
      name: d.name,
      title: d.title,
      unit: d.unit,
      numerator: d.numerator,
      denominator: d.denominator,
      values: cells.map((c) => c.value),
      confidenceLevel: RATIO_CONFIDENCE,
      intervals: cells.map((c) => c.interval),
      reasons: cells.map((c) => c.reason),
    };
  });
}

/**
 * The ratio's interval holds whenever both released values lie within their 95% intervals,
 * which by the union bound happens with probability at least 1 − 0.05 − 0.05.
 */
export const RATIO_CONFIDENCE = '0.9';

/** One ratio cell: the value, its range, or why it has none. */
export function ratioCell(
  unit: string,
  n: bigint,
  hn: bigint,
  d: bigint,
  hd: bigint,
  denominatorName: string,
): {
  readonly value: string | null;
  readonly interval: readonly [string, string] | null;
  readonly reason: string | null;
} {
  const digits = unit === 'share' ? 4 : 2;
  const value = d > 0n ? fixed(n, d, digits, 'half') : null;
  const raw = ratioInterval(n, hn, d, hd, digits);
  if (raw === null) {
    return {
      value,
      interval: null,
      reason: `not estimable at this budget: the ${denominatorName} released (${d} ± ${hd}) may be zero or negative, so the ratio is unbounded`,
    };
  }
  return { value, interval: unit === 'share' ? clipShare(raw) : raw, reason: null };
}

/**
 * A share lies in [0, 1]: intersecting its range with [0, 1] keeps the coverage (the true share
 * is inside both) and removes values no share can take.
 */
function clipShare([lower, upper]: readonly [string, string]): readonly [string, string] {
  const clip = (x: string): string => (Number(x) < 0 ? '0.0000' : Number(x) > 1 ? '1.0000' : x);
  return [clip(lower), clip(upper)];
}

/**
 * Bounds of (n ± hn) / (d ± hd) by interval arithmetic, rounded outward; null unless the
 * denominator's whole interval is positive.
 */
export function ratioInterval(
  n: bigint,
  hn: bigint,
  d: bigint,
  hd: bigint,
  digits: number,
): readonly [string, string] | null {
  const [dLow, dHigh] = [d - hd, d + hd];
  if (dLow <= 0n) return null;
  const [nLow, nHigh] = [n - hn, n + hn];
  // Dividing by a positive interval: a non-negative bound is smallest over the largest divisor.
  const lower = fixed(nLow, nLow >= 0n ? dHigh : dLow, digits, 'floor');
  const upper = fixed(nHigh, nHigh >= 0n ? dLow : dHigh, digits, 'ceil');
  return [lower, upper];
}

/** n / d (d > 0) to `digits` decimals, exactly: rounded half away from zero, down or up. */
function fixed(n: bigint, d: bigint, digits: number, mode: 'half' | 'floor' | 'ceil'): string {
  const scale = 10n ** BigInt(digits);
  const scaled =
    mode === 'half'
      ? (n * scale * 2n + (n >= 0n ? d : -d)) / (2n * d)
      : floorDiv(n * scale + (mode === 'ceil' ? d - 1n : 0n), d);
  const sign = scaled < 0n ? '-' : '';
  const abs = scaled < 0n ? -scaled : scaled;
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}

/** ⌊a / b⌋ for b > 0 (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}
