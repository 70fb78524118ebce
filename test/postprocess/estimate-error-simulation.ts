import { join } from 'node:path';
import { bufferedRandom, seededRandom } from '#concord/crypto';
import { Rational, sampleNoiseVector } from '#concord/dp';
import {
  ESTIMATE_SIMULATION,
  type StatedEstimateError,
  consistentEstimate,
} from '#concord/postprocess';
import { calibrateOutputNoise, planNoiseOf, readCatalogueDirectory } from '#concord/protocol';
import {
  type City,
  generateCity,
  revenuePerBoardingOracle,
  ridershipPerCapitaOracle,
  titleViFareEquityOracle,
  transfersOracle,
} from '#concord/synth';

/**
 * The error of post-processed estimates, measured by simulation (docs/privacy.md,
 * 'Post-processed estimates'): the exact cells of the synthetic city from libs/synth's oracles,
 * plus the release's noise (three parties' discrete Gaussian shares at the output's calibrated
 * σ², drawn by the production sampler from fixed seeds), then the raw cells and the estimate
 * compared with the exact cells. Deterministic: same seeds, same figures.
 *
 * The simulation's settings: those stated beside the figures. */
export const SIMULATION = ESTIMATE_SIMULATION;

interface ExactOutput {
  readonly protocol: string;
  readonly output: string;
  readonly shape: readonly number[];
  readonly cells: readonly bigint[];
}

function exactOutputs(city: City): ExactOutput[] {
  const serviceDate = city.serviceDate;
  const rpb = revenuePerBoardingOracle(city, { serviceDate, maxBoardingsPerCell: 50_000 });
  const transfers = transfersOracle(city, { serviceDate });
  const routes = rpb.routes.length;
  const ridership = ridershipPerCapitaOracle(city, {
    serviceDate,
    maxBoardingsPerStop: 1_000_000,
    maxPopulationPerZone: 100_000,
  });
  const equity = titleViFareEquityOracle(city, { serviceDate, maxTapsPerStopProduct: 100_000 });
  const products = equity.fareProducts.length;
  // usage is product-major over (low_income, not_low_income, minority, not_minority).
  const group = (g: number): bigint[] =>
    Array.from({ length: products }, (_, p) => equity.usage[p * 4 + g]);
  const classified = Array.from(
    { length: products },
    (_, p) => equity.usage[p * 4] + equity.usage[p * 4 + 1],
  );
  return [
    {
      protocol: 'revenue-per-boarding',
      output: 'boardings',
      shape: [routes, 24],
      cells: rpb.boardings,
    },
    {
      protocol: 'revenue-per-boarding',
      output: 'revenue',
      shape: [routes, 24],
      cells: rpb.revenueCents,
    },
    {
      protocol: 'transfers',
      output: 'transfers',
      shape: [transfers.routes.length, transfers.routes.length],
      cells: transfers.counts,
    },
    {
      protocol: 'ridership-per-capita',
      output: 'boardings',
      shape: [ridership.zones.length],
      cells: ridership.boardings,
    },
    {
      protocol: 'ridership-per-capita',
      output: 'population',
      shape: [ridership.zones.length],
      cells: ridership.population,
    },
    {
      protocol: 'title-vi-fare-equity',
      output: 'total_taps',
      shape: [products],
      cells: classified,
    },
    {
      protocol: 'title-vi-fare-equity',
      output: 'low_income_taps',
      shape: [products],
      cells: group(0),
    },
    {
      protocol: 'title-vi-fare-equity',
      output: 'minority_taps',
      shape: [products],
      cells: group(2),
    },
  ];
}

export function simulateEstimateError(catalogueDir: string): StatedEstimateError[] {
  const catalogue = readCatalogueDirectory(catalogueDir);
  const city = generateCity({ seed: SIMULATION.city.seed, scale: SIMULATION.city.scale });
  const results: StatedEstimateError[] = [];
  for (const exact of exactOutputs(city)) {
    const analysis = catalogue.find(exact.protocol)!.analysis;
    const index = analysis.definition.outputs.findIndex((o) => o.name === exact.output);
    const share = Rational.parse(analysis.definition.outputs[index].budgetShare);
    for (const budget of SIMULATION.budgets) {
      const noise = planNoiseOf(
        calibrateOutputNoise(
          analysis.definition.privacy.mechanism,
          Rational.parse(budget).mul(share),
          analysis.outputs[index].sensitivity,
        ),
      );
      if (noise.mechanism !== 'discrete-gaussian') throw new Error('simulation covers DDG only');
      const n = exact.cells.length;
      const truth = exact.cells.map(Number);
      const trueTotal = truth.reduce((s, v) => s + v, 0);
      let raw = 0;
      let est = 0;
      let rawTotal = 0;
      let estTotal = 0;
      for (let release = 0; release < SIMULATION.releasesPerBudget; release += 1) {
        const noisy = truth.slice();
        for (let party = 0; party < 3; party += 1) {
          const rng = bufferedRandom(
            seededRandom(
              `concord/postprocess/simulation/${exact.protocol}/${exact.output}/${budget}/${release}/${party}`,
            ),
          );
          sampleNoiseVector(
            rng,
            { mechanism: 'discrete-gaussian', shareSigma2: Rational.parse(noise.shareSigma2) },
            n,
          ).forEach((e, k) => (noisy[k] += Number(e)));
        }
        const estimate = consistentEstimate(noisy, exact.shape).values;
        for (let k = 0; k < n; k += 1) {
          raw += (noisy[k] - truth[k]) ** 2;
          est += (estimate[k] - truth[k]) ** 2;
        }
        rawTotal += (noisy.reduce((s, v) => s + v, 0) - trueTotal) ** 2;
        estTotal += (estimate.reduce((s, v) => s + v, 0) - trueTotal) ** 2;
      }
      const releases = SIMULATION.releasesPerBudget;
      results.push({
        protocol: exact.protocol,
        output: exact.output,
        budget,
        cells: n,
        rawRmse: round(Math.sqrt(raw / (n * releases))),
        estimateRmse: round(Math.sqrt(est / (n * releases))),
        rawTotalRmse: round(Math.sqrt(rawTotal / releases)),
        estimateTotalRmse: round(Math.sqrt(estTotal / releases)),
      });
    }
  }
  return results;
}

/** Three significant figures: the precision the docs and the API state. */
function round(x: number): number {
  return Number(x.toPrecision(3));
}

export const CATALOGUE_DIR = join(import.meta.dirname, '..', '..', 'protocols');
