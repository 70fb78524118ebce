/**
 * The error of post-processed estimates, measured by simulation and stated (docs/privacy.md,
 * 'Post-processed estimates'): the synthetic medium city of libs/synth (seed 2026), its exact
 * cells from the oracles, four noisy releases per budget from fixed seeds through the production
 * sampler, the estimate of each. Root mean square errors against the exact cells, to three
 * significant figures. Regenerated and checked equal by test/postprocess/estimate-error.spec.ts.
 */
export interface StatedEstimateError {
  readonly protocol: string;
  readonly output: string;
  /** The release budget ρ simulated (the output gets its catalogue share of it). */
  readonly budget: string;
  readonly cells: number;
  /** Root mean square error per cell: raw noisy cells, and the estimate. */
  readonly rawRmse: number;
  readonly estimateRmse: number;
  /** Root mean square error of the grand total: raw, and the estimate. */
  readonly rawTotalRmse: number;
  readonly estimateTotalRmse: number;
}

/** Where and how the figures were measured, as stated beside them. */
export const ESTIMATE_SIMULATION = {
  city: { seed: 2026, scale: 'medium' },
  releasesPerBudget: 4,
  budgets: ['1/100', '1/10', '1/2', '1'],
} as const;

export const STATED_ESTIMATE_ERROR: readonly StatedEstimateError[] = [
  {
    protocol: 'revenue-per-boarding',
    output: 'boardings',
    budget: '1/100',
    cells: 2040,
    rawRmse: 98.2,
    estimateRmse: 44.3,
    rawTotalRmse: 5750,
    estimateTotalRmse: 5750,
  },
  {
    protocol: 'revenue-per-boarding',
    output: 'boardings',
    budget: '1/10',
    cells: 2040,
    rawRmse: 31.1,
    estimateRmse: 20.8,
    rawTotalRmse: 921,
    estimateTotalRmse: 921,
  },
  {
    protocol: 'revenue-per-boarding',
    output: 'boardings',
    budget: '1/2',
    cells: 2040,
    rawRmse: 14,
    estimateRmse: 11,
    rawTotalRmse: 476,
    estimateTotalRmse: 476,
  },
  {
    protocol: 'revenue-per-boarding',
    output: 'boardings',
    budget: '1',
    cells: 2040,
    rawRmse: 9.85,
    estimateRmse: 7.93,
    rawTotalRmse: 597,
    estimateTotalRmse: 597,
  },
  {
    protocol: 'revenue-per-boarding',
    output: 'revenue',
    budget: '1/100',
    cells: 2040,
    rawRmse: 6180,
    estimateRmse: 4630,
    rawTotalRmse: 172000,
    estimateTotalRmse: 172000,
  },
  {
    protocol: 'revenue-per-boarding',
    output: 'revenue',
    budget: '1/10',
    cells: 2040,
    rawRmse: 1940,
    estimateRmse: 1680,
    rawTotalRmse: 78900,
    estimateTotalRmse: 78900,
  },
  {
    protocol: 'revenue-per-boarding',
    output: 'revenue',
    budget: '1/2',
    cells: 2040,
    rawRmse: 856,
    estimateRmse: 781,
    rawTotalRmse: 34200,
    estimateTotalRmse: 34200,
  },
  {
    protocol: 'revenue-per-boarding',
    output: 'revenue',
    budget: '1',
    cells: 2040,
    rawRmse: 624,
    estimateRmse: 573,
    rawTotalRmse: 38900,
    estimateTotalRmse: 38900,
  },
  {
    protocol: 'transfers',
    output: 'transfers',
    budget: '1/100',
    cells: 7225,
    rawRmse: 34.7,
    estimateRmse: 15.4,
    rawTotalRmse: 3770,
    estimateTotalRmse: 3770,
  },
  {
    protocol: 'transfers',
    output: 'transfers',
    budget: '1/10',
    cells: 7225,
    rawRmse: 10.9,
    estimateRmse: 6.48,
    rawTotalRmse: 442,
    estimateTotalRmse: 442,
  },
  {
    protocol: 'transfers',
    output: 'transfers',
    budget: '1/2',
    cells: 7225,
    rawRmse: 4.89,
    estimateRmse: 3.29,
    rawTotalRmse: 234,
    estimateTotalRmse: 234,
  },
  {
    protocol: 'transfers',
    output: 'transfers',
    budget: '1',
    cells: 7225,
    rawRmse: 3.45,
    estimateRmse: 2.39,
    rawTotalRmse: 322,
    estimateTotalRmse: 322,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'boardings',
    budget: '1/100',
    cells: 250,
    rawRmse: 70.1,
    estimateRmse: 64.2,
    rawTotalRmse: 1050,
    estimateTotalRmse: 1050,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'boardings',
    budget: '1/10',
    cells: 250,
    rawRmse: 23.7,
    estimateRmse: 23.7,
    rawTotalRmse: 49.7,
    estimateTotalRmse: 49.7,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'boardings',
    budget: '1/2',
    cells: 250,
    rawRmse: 10.1,
    estimateRmse: 10,
    rawTotalRmse: 82.9,
    estimateTotalRmse: 82.9,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'boardings',
    budget: '1',
    cells: 250,
    rawRmse: 7.12,
    estimateRmse: 7.12,
    rawTotalRmse: 147,
    estimateTotalRmse: 147,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'population',
    budget: '1/100',
    cells: 250,
    rawRmse: 49,
    estimateRmse: 49,
    rawTotalRmse: 626,
    estimateTotalRmse: 626,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'population',
    budget: '1/10',
    cells: 250,
    rawRmse: 15.4,
    estimateRmse: 15.4,
    rawTotalRmse: 353,
    estimateTotalRmse: 353,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'population',
    budget: '1/2',
    cells: 250,
    rawRmse: 6.86,
    estimateRmse: 6.86,
    rawTotalRmse: 65.5,
    estimateTotalRmse: 65.5,
  },
  {
    protocol: 'ridership-per-capita',
    output: 'population',
    budget: '1',
    cells: 250,
    rawRmse: 4.63,
    estimateRmse: 4.63,
    rawTotalRmse: 109,
    estimateTotalRmse: 109,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'total_taps',
    budget: '1/100',
    cells: 8,
    rawRmse: 127,
    estimateRmse: 127,
    rawTotalRmse: 546,
    estimateTotalRmse: 546,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'total_taps',
    budget: '1/10',
    cells: 8,
    rawRmse: 32.7,
    estimateRmse: 32.7,
    rawTotalRmse: 117,
    estimateTotalRmse: 117,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'total_taps',
    budget: '1/2',
    cells: 8,
    rawRmse: 16.5,
    estimateRmse: 16.5,
    rawTotalRmse: 59.7,
    estimateTotalRmse: 59.7,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'total_taps',
    budget: '1',
    cells: 8,
    rawRmse: 10.9,
    estimateRmse: 10.9,
    rawTotalRmse: 16.2,
    estimateTotalRmse: 16.2,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'low_income_taps',
    budget: '1/100',
    cells: 8,
    rawRmse: 103,
    estimateRmse: 103,
    rawTotalRmse: 305,
    estimateTotalRmse: 305,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'low_income_taps',
    budget: '1/10',
    cells: 8,
    rawRmse: 45,
    estimateRmse: 45,
    rawTotalRmse: 163,
    estimateTotalRmse: 163,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'low_income_taps',
    budget: '1/2',
    cells: 8,
    rawRmse: 19,
    estimateRmse: 19,
    rawTotalRmse: 67.5,
    estimateTotalRmse: 67.5,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'low_income_taps',
    budget: '1',
    cells: 8,
    rawRmse: 11.6,
    estimateRmse: 11.6,
    rawTotalRmse: 18.2,
    estimateTotalRmse: 18.2,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'minority_taps',
    budget: '1/100',
    cells: 8,
    rawRmse: 122,
    estimateRmse: 122,
    rawTotalRmse: 293,
    estimateTotalRmse: 293,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'minority_taps',
    budget: '1/10',
    cells: 8,
    rawRmse: 25.9,
    estimateRmse: 25.9,
    rawTotalRmse: 102,
    estimateTotalRmse: 102,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'minority_taps',
    budget: '1/2',
    cells: 8,
    rawRmse: 17.1,
    estimateRmse: 17.1,
    rawTotalRmse: 22.4,
    estimateTotalRmse: 22.4,
  },
  {
    protocol: 'title-vi-fare-equity',
    output: 'minority_taps',
    budget: '1',
    cells: 8,
    rawRmse: 11.6,
    estimateRmse: 11.6,
    rawTotalRmse: 37,
    estimateTotalRmse: 37,
  },
];

/**
 * The stated figure for an output at the simulated budget nearest `budget` (by ratio), or
 * undefined for an output the simulation does not cover. Callers state the simulated budget.
 */
export function statedEstimateError(
  protocol: string,
  output: string,
  budget: number,
): StatedEstimateError | undefined {
  let best: StatedEstimateError | undefined;
  let distance = Infinity;
  for (const row of STATED_ESTIMATE_ERROR) {
    if (row.protocol !== protocol || row.output !== output) continue;
    const [n, d] = row.budget.split('/').map(Number);
    const d2 = Math.abs(Math.log(budget / (n / (d ?? 1))));
    if (d2 < distance) [best, distance] = [row, d2];
  }
  return best;
}
