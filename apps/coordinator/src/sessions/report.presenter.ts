import { type ReleasePrivacy, releasePrivacy } from '#concord/accounting';
import {
  type CatalogueEntry,
  type SessionPlan,
  planAxisSize,
  planAxisValues,
  planServiceDates,
} from '#concord/protocol';
import { LEDGER_DELTA } from '../ledger/ledger.service.js';
import { type DerivedRatio, derivedRatios } from './derived-ratios.js';
import type { OutputEstimates } from './report-estimates.js';
import type { ReleasedOutput, Session } from './session.js';
import { type SliceHalfWidth, sliceHalfWidths } from './slice-intervals.js';
import { servedOutputs } from './served-release.js';
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
  /**
   * The release's privacy, stated once for every surface (API, ledger, dashboard, demo, CLI):
   * ε of the total (ξ, ρ) by the ledger's conversion, each output's share of ρ, pure ε for
   * Pólya releases, a plain-language sentence and a link to docs/privacy.md.
   */
  readonly privacy: ReleasePrivacy;
  readonly requestId: string;
  readonly requestedBy: string;
  readonly createdAt: string;
  /** When the session left the queue and started; null while it waits. */
  readonly admittedAt: string | null;
  /**
   * While the session waits to start: its place in the queue (1 = next). Null once it started.
   * Sessions are admitted round-robin across analysts, so a place can grow when another
   * analyst's first request arrives.
   */
  readonly queuePosition: number | null;
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
    /**
     * Exact 95% half-widths of sums over slices of this output (route totals, hour totals, any
     * selection the dashboard offers): per number of cells summed.
     */
    readonly sliceHalfWidths: readonly SliceHalfWidth[];
    readonly noise: Readonly<Record<string, unknown>>;
    /** Only with `?estimates=true`: post-processed estimates, labelled (report-estimates.ts). */
    readonly estimates?: OutputEstimates;
  }[];
  readonly derived: readonly DerivedRatio[];
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
  queuePosition: number | null = null,
): ReportResponse {
  const served = servedOutputs(session, outputs);
  const byName = new Map(served.map((o) => [o.name, o]));
  return {
    id: session.id,
    state: session.state,
    protocol: session.protocol,
    parameters: session.parameters,
    budget: session.plan.budget,
    privacy: planPrivacy(session.plan),
    requestId: session.requestId,
    requestedBy: session.requestedBy,
    createdAt: session.createdAt.toISOString(),
    admittedAt: session.admittedAt?.toISOString() ?? null,
    queuePosition,
    completedAt: session.completedAt?.toISOString() ?? null,
    error: session.error,
    grid: session.plan.axes.map((a) =>
      'values' in a
        ? { name: a.name, values: a.values }
        : planAxisSize(a) <= 10_000
          ? { name: a.name, range: a.range, values: planAxisValues(a) }
          : { name: a.name, range: a.range },
    ),
    // Exactly what the transcript export publishes (`exportedRelease`): the stored unit, values,
    // interval and level, so an auditor's release digest covers every number shown here.
    outputs: session.plan.outputs.flatMap((p) => {
      const o = byName.get(p.name);
      return o
        ? [
            {
              name: p.name,
              title: p.title,
              unit: o.unit,
              axes: p.axes,
              values: o.values,
              confidenceLevel: o.confidenceLevel,
              intervalHalfWidth: o.intervalHalfWidth.toString(),
              sliceHalfWidths: sliceHalfWidths(session.plan, p),
              noise: outputNoise(o.noise),
            },
          ]
        : [];
    }),
    derived: served.length === 0 || !entry ? [] : derivedRatios(entry, byName),
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

/** The δ every ε is stated at: the ledger's (`LEDGER_DELTA`). */
const REPORT_DELTA = LEDGER_DELTA;

/** A plan's privacy statement (data-independent: the same before and after the release). */
export function planPrivacy(plan: SessionPlan): ReleasePrivacy {
  return releasePrivacy(
    plan.budget.mechanism === 'polya-laplace' ? 'polya-laplace' : 'discrete-gaussian',
    plan.outputs.map((o) => ({ name: o.name, rho: o.rho, xi: o.xi, pureEpsilon: o.epsilon })),
    REPORT_DELTA,
    Math.max(1, planServiceDates(plan).length),
  );
}

/**
 * An output's stored noise parameters without the per-output ε that older releases stored:
 * ε does not add across outputs, so only the release's ε (`privacy`) is stated.
 */
function outputNoise(noise: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(noise).filter(([key]) => key !== 'epsilon' && key !== 'delta'),
  );
}

export { ratioInterval } from './derived-ratios.js';
