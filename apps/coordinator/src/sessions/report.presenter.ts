import { type CatalogueEntry, planAxisSize, planAxisValues } from '#concord/protocol';
import type { ReleasedOutput, Session } from './session.js';
import type { SessionSeal } from './sessions.service.js';

/** The JSON an analyst gets for a report: noisy values with their intervals, never raw data. */
export interface ReportResponse {
  readonly id: string;
  readonly state: string;
  readonly protocol: Session['protocol'];
  readonly parameters: Readonly<Record<string, string>>;
  readonly budget: {
    readonly mechanism: string;
    readonly value: string;
    readonly rho: string;
    readonly xi: string;
  };
  readonly requestId: string;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  /**
   * The grid's axes: listed values for public axes and small ranges; an integer range (with no
   * list) for a range longer than 10,000, so a million-cell report's progress stays cheap.
   */
  readonly grid: readonly {
    readonly name: string;
    readonly values?: readonly string[];
    readonly range?: readonly [number, number];
  }[];
  readonly outputs: readonly {
    readonly name: string;
    readonly title: string;
    readonly unit: string;
    readonly axes: readonly string[];
    readonly values: readonly string[];
    readonly confidenceLevel: string;
    readonly intervalHalfWidth: string;
    readonly noise: Readonly<Record<string, unknown>>;
  }[];
  readonly derived: readonly {
    readonly name: string;
    readonly title: string;
    readonly unit: string;
    /** The released outputs it divides (so slices can be re-derived from released sums). */
    readonly numerator: string;
    readonly denominator: string;
    readonly values: readonly (string | null)[];
  }[];
  readonly transcript: { readonly head: string | null; readonly sealedBy: readonly string[] };
  /** How far the session got: transcript entries so far, by step. */
  readonly progress: {
    readonly accepted: number;
    readonly committed: number;
    readonly envelopes: number;
    readonly resultsReported: number;
    readonly sealed: number;
  };
}

export function presentReport(
  session: Session,
  outputs: readonly ReleasedOutput[],
  seals: readonly SessionSeal[],
  entry: CatalogueEntry | undefined,
  counts: Readonly<Record<string, number>> = {},
): ReportResponse {
  const planOutputs = session.plan.outputs;
  const byName = new Map(outputs.map((o) => [o.name, o]));
  return {
    id: session.id,
    state: session.state,
    protocol: session.protocol,
    parameters: session.parameters,
    budget: session.plan.budget,
    requestId: session.requestId,
    requestedBy: session.requestedBy,
    createdAt: session.createdAt.toISOString(),
    completedAt: session.completedAt?.toISOString() ?? null,
    error: session.error,
    grid: session.plan.axes.map((a) =>
      'values' in a
        ? { name: a.name, values: a.values }
        : planAxisSize(a) <= 10_000
          ? { name: a.name, range: a.range, values: planAxisValues(a) }
          : { name: a.name, range: a.range },
    ),
    outputs: planOutputs.flatMap((p) => {
      const o = byName.get(p.name);
      return o
        ? [
            {
              name: p.name,
              title: p.title,
              unit: p.unit,
              axes: p.axes,
              values: o.values,
              confidenceLevel: o.confidenceLevel,
              intervalHalfWidth: o.intervalHalfWidth.toString(),
              noise: o.noise,
            },
          ]
        : [];
    }),
    derived: outputs.length === 0 || !entry ? [] : derivedRatios(entry, byName),
    transcript: { head: session.transcriptHead, sealedBy: seals.map((s) => s.agencyId) },
    progress: {
      accepted: counts['party.accepted'] ?? 0,
      committed: counts['noise.committed'] ?? 0,
      envelopes: counts.envelope ?? 0,
      resultsReported: counts['party.result'] ?? 0,
      sealed: seals.length,
    },
  };
}

/**
 * Ratios of released outputs (post-processing, free under DP), to two decimals. A cell whose
 * noisy denominator is not positive has no meaningful ratio and shows null.
 */
function derivedRatios(
  entry: CatalogueEntry,
  outputs: ReadonlyMap<string, ReleasedOutput>,
): ReportResponse['derived'] {
  return entry.analysis.definition.derived.map((d) => {
    const num = (outputs.get(d.numerator)?.values ?? []).map(BigInt);
    const den = (outputs.get(d.denominator)?.values ?? []).map(BigInt);
    return {
      name: d.name,
      title: d.title,
      unit: d.unit,
      numerator: d.numerator,
      denominator: d.denominator,
      values: num.map((n, i) =>
        den[i] > 0n ? fixed(n, den[i], d.unit === 'share' ? 4 : 2) : null,
      ),
    };
  });
}

/** n / d rounded half away from zero to `digits` decimals, exactly. */
function fixed(n: bigint, d: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const scaled = (n * scale * 2n + (n >= 0n ? d : -d)) / (2n * d);
  const sign = scaled < 0n ? '-' : '';
  const abs = scaled < 0n ? -scaled : scaled;
  return `${sign}${abs / scale}.${(abs % scale).toString().padStart(digits, '0')}`;
}
