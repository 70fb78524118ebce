import {
  ESTIMATE_SIMULATION,
  consistentEstimate,
  DEFAULT_TOLERANCE,
  statedEstimateError,
} from '#concord/postprocess';
import { type SessionPlan, planAxisSize } from '#concord/protocol';
import type { ReportResponse } from './report.presenter.js';

/** How every surface names these numbers: never "release", never with the release's intervals. */
export const ESTIMATE_LABEL = 'post-processed estimate';

/**
 * Optional post-processed estimates of one output (docs/privacy.md, 'Post-processed estimates'),
 * served beside the raw release on `GET /reports/:id?estimates=true`. A function of the released
 * values only (post-processing: no privacy cost), computed on demand and never stored, so the
 * release, its transcript and its digest are exactly what they were.
 */
export type OutputEstimates =
  | {
      readonly label: typeof ESTIMATE_LABEL;
      readonly method: string;
      /** Non-negative, in the layout of `values`. Not integers: estimates, not counts. */
      readonly values: readonly number[];
      /** Largest |row or column total of `values` − its target|, measured (see `method`). */
      readonly maxMarginError: number;
      readonly marginTolerance: number;
      /** The estimate's error measured by simulation, or null with the reason. */
      readonly statedError: StatedError | null;
      readonly statedErrorReason: string | null;
      readonly note: string;
    }
  | { readonly label: typeof ESTIMATE_LABEL; readonly unavailable: string };

export interface StatedError {
  /** Where: the synthetic city, the budget simulated (nearest to this release's) and repeats. */
  readonly simulated: string;
  readonly budget: string;
  readonly rawRmse: number;
  readonly estimateRmse: number;
  readonly rawTotalRmse: number;
  readonly estimateTotalRmse: number;
}

/** Above this many cells an estimate is not computed on request (a sweep sorts every row). */
export const ESTIMATE_CELL_LIMIT = 250_000;

const METHOD =
  'least-squares projection of the noisy cells onto non-negative tables consistent with the ' +
  'non-negative grand total and (for two axes) row and column totals estimated from the same ' +
  'cells; see docs/privacy.md, Post-processed estimates';

const NOTE =
  'Post-processing of the release, at no privacy cost. Not the release: the raw values and ' +
  'their exact 95% intervals are. The intervals do not apply to estimates; the stated error does.';

/** The report with `estimates` beside every output's raw values (which are left untouched). */
export function withEstimates(
  report: ReportResponse,
  plan: SessionPlan,
  protocolId: string,
): ReportResponse {
  return {
    ...report,
    outputs: report.outputs.map((o) => ({
      ...o,
      estimates: outputEstimates(o.values, o.name, plan, protocolId),
    })),
  };
}

function outputEstimates(
  values: readonly string[],
  name: string,
  plan: SessionPlan,
  protocolId: string,
): OutputEstimates {
  const output = plan.outputs.find((p) => p.name === name);
  if (!output) return { label: ESTIMATE_LABEL, unavailable: 'output not in the plan' };
  const sizes = new Map(plan.axes.map((a) => [a.name, planAxisSize(a)]));
  const shape = output.axes.length === 0 ? [1] : output.axes.map((a) => sizes.get(a) ?? 1);
  if (values.length > ESTIMATE_CELL_LIMIT) {
    return {
      label: ESTIMATE_LABEL,
      unavailable: `more than ${ESTIMATE_CELL_LIMIT} cells: estimates are offered for smaller outputs`,
    };
  }
  if (values.length !== shape.reduce((p, n) => p * n, 1)) {
    return { label: ESTIMATE_LABEL, unavailable: 'the release is not complete' };
  }
  const estimate = consistentEstimate(values.map(Number), shape);
  const total = Math.max(1, estimate.total);
  const stated =
    plan.budget.mechanism === 'discrete-gaussian'
      ? statedEstimateError(protocolId, name, ratio(plan.budget.rho))
      : undefined;
  return {
    label: ESTIMATE_LABEL,
    method: METHOD,
    values: estimate.values,
    maxMarginError: estimate.maxMarginError,
    marginTolerance: DEFAULT_TOLERANCE * total,
    statedError: stated
      ? {
          simulated:
            `synthetic ${ESTIMATE_SIMULATION.city.scale} city (seed ${ESTIMATE_SIMULATION.city.seed}), ` +
            `${ESTIMATE_SIMULATION.releasesPerBudget} releases at ρ = ${stated.budget}`,
          budget: stated.budget,
          rawRmse: stated.rawRmse,
          estimateRmse: stated.estimateRmse,
          rawTotalRmse: stated.rawTotalRmse,
          estimateTotalRmse: stated.estimateTotalRmse,
        }
      : null,
    statedErrorReason: stated
      ? null
      : 'not measured: the simulation covers the catalogue’s outputs under discrete Gaussian noise only',
    note: NOTE,
  };
}

/** An exact rational's value as a float ("1/2" → 0.5), for picking the nearest simulated budget. */
function ratio(text: string): number {
  const [n, d] = text.split('/').map(Number);
  return n / (d ?? 1);
}
