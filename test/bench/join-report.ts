import { join } from 'node:path';
import { compareAxisValues, compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { CONNECTORS, TOKEN_CONNECTORS } from '../../apps/agency-node/src/connectors/connectors.js';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import {
  type createSyntheticConsortium,
  syntheticConnectorData,
} from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { startApiConsortium } from './api-consortium.js';
import { median, timeReports } from './timed-reports.js';

export interface JoinReportFigures {
  readonly cards: number;
  readonly enrolled: number;
  /** Request to completed report, through the coordinator and three node processes. */
  readonly mpcMs: number;
  /** The same report in the clear in one process: the connectors, a hash-set join, the sums. */
  readonly plaintextMs: number;
  readonly ratio: number;
  readonly runs: number;
}

type Setup = ReturnType<typeof createSyntheticConsortium>;

/**
 * The medium city's reduced-fare report (`reduced-fare-use`: the private join, then the shared
 * sums) end to end, against the trusted-single-party baseline that reads the same files and
 * joins in the clear. Medians of `runs` after one warm-up.
 */
export async function benchJoinReport(runs = 3): Promise<JoinReportFigures> {
  const consortium = await startApiConsortium({
    name: 'join',
    scale: 'medium',
    ledgerCapRho: '1000',
  });
  try {
    const { setup, admin: client } = consortium;
    const mpc = await timeReports(
      client,
      { protocol: 'reduced-fare-use', serviceDate: setup.serviceDate, label: 'join' },
      runs,
    );
    const plaintext: number[] = [];
    let sizes = { cards: 0, enrolled: 0 };
    for (let run = 0; run <= runs; run++) {
      const result = await plaintextReport(setup);
      sizes = result;
      if (run > 0) plaintext.push(result.ms);
    }
    const mpcMs = median(mpc);
    const plaintextMs = median(plaintext);
    return { ...sizes, mpcMs, plaintextMs, ratio: mpcMs / plaintextMs, runs };
  } finally {
    await consortium.stop();
  }
}

async function plaintextReport(
  setup: Setup,
): Promise<{ ms: number; cards: number; enrolled: number }> {
  const entry = readCatalogueDirectory(join(repoRoot(), 'protocols')).find('reduced-fare-use')!;
  const plan = compileSessionPlan(entry.analysis, {
    sessionId: '00000000-0000-4000-8000-00000000beef',
    parameters: { serviceDate: setup.serviceDate },
    axisValues: {
      fare_product: [...new Set(setup.city.transit.fareProducts.map((p) => p.fareProductId))].sort(
        compareAxisValues,
      ),
    },
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
  const started = performance.now();
  const data = syntheticConnectorData(join(setup.consortium.dir, 'city'));
  const { tokens: cards } = await TOKEN_CONNECTORS['card-tokens']({
    plan,
    files: data.payments['card-tokens'],
  });
  const { tokens: enrolled } = await TOKEN_CONNECTORS['reduced-fare-enrolment']({
    plan,
    files: data.planning['reduced-fare-enrolment'],
  });
  const isEnrolled = new Set(enrolled);
  for (const input of plan.inputs.filter((i) => i.party === 2)) {
    const { values } = await CONNECTORS[input.connector]({
      plan,
      input,
      files: data.payments[input.connector],
      cards,
    });
    const width = values.length / cards.length;
    const all = new Float64Array(width);
    const ofEnrolled = new Float64Array(width);
    cards.forEach((card, c) => {
      for (let k = 0; k < width; k++) {
        all[k] += values[c * width + k];
        if (isEnrolled.has(card)) ofEnrolled[k] += values[c * width + k];
      }
    });
  }
  return { ms: performance.now() - started, cards: cards.length, enrolled: enrolled.length };
}

/** One origin–destination report over a district of the medium city. */
export interface DistrictFigures {
  readonly zones: number;
  /** Request to completed; undefined when the request was refused (`refusal` says why). */
  readonly ms?: number;
  readonly cells?: number;
  readonly refusal?: string;
}

/**
 * `reduced-fare-od-flows` on the medium city over its first `n` zones (a request's axis
 * selection), one report per size: the full 250-zone grid is refused as too large, a district
 * fits. A size past the plan bound comes back as its refusal, not an error.
 */
export async function benchOdDistricts(sizes: readonly number[]): Promise<DistrictFigures[]> {
  const consortium = await startApiConsortium({
    name: 'od-district',
    scale: 'medium',
    ledgerCapRho: '1000',
  });
  try {
    const { setup, admin: client } = consortium;
    const axes = await client.request<{ name: string; values: string[] }[]>(
      'GET',
      '/catalogue/reduced-fare-od-flows/axes',
    );
    const zones = axes.body[0].values;
    const figures: DistrictFigures[] = [];
    for (const n of sizes) {
      const chosen = zones.slice(0, n);
      const started = performance.now();
      const created = await client.request<{ id: string; detail?: string; code?: string }>(
        'POST',
        '/reports',
        {
          protocol: 'reduced-fare-od-flows',
          parameters: { serviceDate: setup.serviceDate },
          budget: '1/2',
          axes: { from_zone: chosen, to_zone: chosen },
        },
      );
      if (created.status !== 202) {
        figures.push({ zones: n, refusal: `${created.body.code}: ${created.body.detail}` });
        continue;
      }
      const report = await client.waitForReport<{
        state: string;
        outputs: { values: string[] }[];
      }>(created.body.id, 600_000);
      if (report.state !== 'completed') throw new Error(`district of ${n}: ${report.state}`);
      figures.push({
        zones: n,
        ms: performance.now() - started,
        cells: report.outputs[0].values.length,
      });
    }
    return figures;
  } finally {
    await consortium.stop();
  }
}
