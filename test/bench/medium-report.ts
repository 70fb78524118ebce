import { join } from 'node:path';
import {
  type createSyntheticConsortium,
  syntheticConnectorData,
} from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { startApiConsortium } from './api-consortium.js';
import { revenueInPlaintext, revenuePlan } from './revenue-plaintext.js';
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

function planOf(setup: Setup): ReturnType<typeof revenuePlan> {
  return revenuePlan(
    'revenue-per-boarding',
    setup.serviceDate,
    setup.city.transit.routes.map((r) => r.routeId),
  );
}

/** The trusted-single-party baseline: the same connectors, in sequence, then the two sums. */
function plaintextReport(setup: Setup): Promise<number> {
  return revenueInPlaintext(
    planOf(setup),
    syntheticConnectorData(join(setup.consortium.dir, 'city')),
  );
}
