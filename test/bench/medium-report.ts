import { join } from 'node:path';
import { compareAxisValues, compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { CONNECTORS } from '../../apps/agency-node/src/connectors/connectors.js';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import {
  type createSyntheticConsortium,
  syntheticConnectorData,
} from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { startApiConsortium } from './api-consortium.js';
import { median, timeReports } from './timed-reports.js';

export interface MediumReportFigures {
  readonly taps: number;
  readonly cells: number;
  /** Request to completed report, through the coordinator and three node processes. */
  readonly mpcMs: number;
  /** The same report computed in the clear in one process: both connectors, then the sums. */
  readonly plaintextMs: number;
  readonly ratio: number;
  readonly runs: number;
}

/**
 * (e) the medium city's revenue-per-boarding report end to end, against doing the same work in
 * plaintext (reading and aggregating the two agencies' files in one process). Each is run
 * `runs` times after one warm-up; the figures are medians.
 */
export async function benchMediumReport(runs = 3): Promise<MediumReportFigures> {
  const consortium = await startApiConsortium({
    name: 'medium',
    scale: 'medium',
    ledgerCapRho: '1000',
  });
  try {
    const { setup, admin: client } = consortium;

    const mpc = await timeReports(
      client,
      { protocol: 'revenue-per-boarding', serviceDate: setup.serviceDate, label: 'medium' },
      runs,
    );
    const plaintext: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const ms = await plaintextReport(setup);
      if (run > 0) plaintext.push(ms);
    }
    const mpcMs = median(mpc);
    const plaintextMs = median(plaintext);
    const plan = planOf(setup);
    return {
      taps: setup.city.payments.fareTransactions.length,
      cells: plan.outputs[0].length,
      mpcMs,
      plaintextMs,
      ratio: mpcMs / plaintextMs,
      runs,
    };
  } finally {
    await consortium.stop();
  }
}

type Setup = ReturnType<typeof createSyntheticConsortium>;

function planOf(setup: Setup): ReturnType<typeof compileSessionPlan> {
  const entry = readCatalogueDirectory(join(repoRoot(), 'protocols')).find('revenue-per-boarding')!;
  return compileSessionPlan(entry.analysis, {
    sessionId: '00000000-0000-4000-8000-00000000beef',
    parameters: { serviceDate: setup.serviceDate },
    axisValues: {
      route: [...new Set(setup.city.transit.routes.map((r) => r.routeId))].sort(compareAxisValues),
    },
    budget: '1/100',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

/** The trusted-single-party baseline: the same connectors, in sequence, then the two sums. */
async function plaintextReport(setup: Setup): Promise<number> {
  const plan = planOf(setup);
  const started = performance.now();
  const data = syntheticConnectorData(join(setup.consortium.dir, 'city'));
  const boardings = await CONNECTORS['apc-boardings-by-route-hour']({
    plan,
    input: plan.inputs[0],
    files: data.transit['apc-boardings-by-route-hour'],
  });
  const revenue = await CONNECTORS['fare-revenue-by-route-hour']({
    plan,
    input: plan.inputs[1],
    files: data.payments['fare-revenue-by-route-hour'],
  });
  // The released outputs are these two vectors; a plaintext report has nothing more to do.
  if (boardings.values.length !== revenue.values.length) throw new Error('grid mismatch');
  return performance.now() - started;
}
