import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareAxisValues,
  compileSessionPlan,
  JOIN_MATCH_CONNECTOR,
  planAxisValues,
  type PlanInput,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import {
  allRidersOdFlowsOracle,
  type City,
  type CityManifest,
  enrolledOdFlowsOracle,
  generateCity,
  reducedFareUseOracle,
  revenuePerBoardingOracle,
  ridershipPerCapitaOracle,
  titleViFareEquityOracle,
  transfersOracle,
  writeCity,
} from '#concord/synth';
import { CONNECTORS, TOKEN_CONNECTORS } from '../src/connectors/connectors.js';
import { syntheticConnectorData } from '../src/demo/synthetic-consortium.js';

/**
 * Every connector of the catalogue on a small synthetic city's files (written by `writeCity`),
 * input by input, against what the city's records say: every row of its file read, and the
 * vector the oracles imply.
 */
const catalogue = readCatalogueDirectory('protocols');
let dir: string;
let city: City;
let manifest: CityManifest;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'concord-city-connectors-'));
  // The processor holds a week (reduced-fare-capping reads seven days); the rest is one day's.
  city = generateCity({ seed: 19, scale: 'small', fareDays: 7 });
  manifest = writeCity(city, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plan(protocol: string): SessionPlan {
  const entry = catalogue.find(protocol)!;
  const sorted = (v: string[]): string[] => [...new Set(v)].sort(compareAxisValues);
  const values: Record<string, string[]> = {
    route: sorted(city.transit.routes.map((r) => r.routeId)),
    from_route: sorted(city.transit.routes.map((r) => r.routeId)),
    to_route: sorted(city.transit.routes.map((r) => r.routeId)),
    zone: sorted(city.planning.zones.map((z) => z.geoid)),
    from_zone: sorted(city.planning.zones.map((z) => z.geoid)),
    to_zone: sorted(city.planning.zones.map((z) => z.geoid)),
    stop: sorted(city.transit.stops.map((s) => s.stopId)),
    fare_product: sorted(city.transit.fareProducts.map((p) => p.fareProductId)),
  };
  return compileSessionPlan(entry.analysis, {
    sessionId: `city-${protocol}`,
    parameters: { serviceDate: '2026-03-10' },
    axisValues: Object.fromEntries(
      entry.analysis.definition.axes.flatMap((a) =>
        'public' in a.source ? [[a.name, values[a.name]]] : [],
      ),
    ),
    budget: '1/2',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

/** A join plan's card list, as the processor's node reads it (`card-tokens`). */
async function cardsOf(p: SessionPlan): Promise<string[] | undefined> {
  if (!p.join) return undefined;
  const files = syntheticConnectorData(dir).payments[p.join.tapHolder.connector];
  return (await TOKEN_CONNECTORS[p.join.tapHolder.connector]({ plan: p, files })).tokens;
}

async function run(p: SessionPlan, input: PlanInput) {
  const files = syntheticConnectorData(dir)[input.role][input.connector];
  const cards = input.axes[0] === p.join?.axis ? await cardsOf(p) : undefined;
  const result = await CONNECTORS[input.connector]({ plan: p, input, files, cards });
  return { values: Array.from(result.values, (v) => BigInt(v)), report: result.report };
}

const inputs = catalogue.entries().flatMap((e) =>
  e.analysis.definition.inputs
    // A join's match indicator is the join's output, read by no connector.
    .filter((i) => i.connector !== JOIN_MATCH_CONNECTOR)
    .map((i) => [e.analysis.definition.id, i.name] as const),
);

describe('the catalogue connectors on a small synthetic city', () => {
  it.each(inputs)('%s / %s reads every row of its file', async (protocol, name) => {
    const p = plan(protocol);
    const input = p.inputs.find((i) => i.name === name)!;
    const { report } = await run(p, input);
    const files = syntheticConnectorData(dir)[input.role][input.connector];
    const main = files.fareTransactions ?? files.boardAlight ?? files.zones ?? files.stopEquity;
    const relative = main.slice(dir.length + 1);
    expect(report.rowsRead).toBe(manifest.files[relative].rows);
    expect(report.rowsUsed).toBeGreaterThan(0);
  });

  it('gives the vectors the oracles imply', async () => {
    const serviceDate = city.serviceDate;
    const revenue = revenuePerBoardingOracle(city, { serviceDate, maxBoardingsPerCell: 50_000 });
    const ridership = ridershipPerCapitaOracle(city, {
      serviceDate,
      maxBoardingsPerStop: 1_000_000,
      maxPopulationPerZone: 100_000,
    });
    const transfers = transfersOracle(city, { serviceDate });
    const of = async (protocol: string, name: string): Promise<bigint[]> => {
      const p = plan(protocol);
      return (
        await run(
          p,
          p.inputs.find((i) => i.name === name)!,
        )
      ).values;
    };
    expect(await of('revenue-per-boarding', 'boardings')).toEqual(revenue.boardings);
    expect(await of('revenue-per-boarding', 'revenue')).toEqual(revenue.revenueCents);
    expect(await of('ridership-per-capita', 'boardings')).toEqual(ridership.boardings);
    expect(await of('ridership-per-capita', 'population')).toEqual(ridership.population);
    expect(await of('transfers', 'transfers')).toEqual(transfers.counts);

    const equity = new Map(city.planning.stopEquity.map((e) => [e.stopId, e]));
    const stopIds = planAxisValues(
      plan('title-vi-fare-equity').axes.find((a) => a.name === 'stop')!,
    );
    const lowIncome = await of('title-vi-fare-equity', 'low_income');
    expect(lowIncome).toEqual(stopIds.map((s) => BigInt(equity.get(s)?.lowIncome ?? 0)));
    const taps = await of('title-vi-fare-equity', 'taps');
    const title = titleViFareEquityOracle(city, { serviceDate, maxTapsPerStopProduct: 100_000 });
    const products = title.fareProducts.length;
    const atLowIncome = title.fareProducts.map((_, p) =>
      stopIds.reduce((sum, _s, s) => sum + taps[s * products + p] * lowIncome[s], 0n),
    );
    expect(atLowIncome).toEqual(title.fareProducts.map((_, p) => title.usage[p * 4]));
  });

  it('reads a join’s two token lists and one row per card that sum to the oracle’s all-rider cells', async () => {
    const p = plan('reduced-fare-use');
    const data = syntheticConnectorData(dir);
    const cards = (await cardsOf(p))!;
    const paid = city.payments.fareTransactions.filter(
      (t) =>
        t.serviceDate === city.serviceDate &&
        (t.fareAction === 'tap-on' || t.fareAction === 'tap-off'),
    );
    expect(cards).toEqual([...new Set(paid.map((t) => t.tokenId))].sort());
    const enrolment = await TOKEN_CONNECTORS['reduced-fare-enrolment']({
      plan: p,
      files: data.planning['reduced-fare-enrolment'],
    });
    expect(enrolment.report.rowsRead).toBe(manifest.files['planning/enrolment.csv'].rows);
    expect(enrolment.tokens).toEqual(
      [...new Set(city.planning.enrolment.map((e) => e.tokenId))].sort(),
    );

    const truth = reducedFareUseOracle(city, { serviceDate: city.serviceDate });
    const byRoute = plan('reduced-fare-routes');
    const trips = await run(
      byRoute,
      byRoute.inputs.find((i) => i.name === 'card_trips')!,
    );
    const routes = truth.routes.length;
    expect(trips.values).toHaveLength(cards.length * routes);
    expect(
      truth.routes.map((_, r) =>
        cards.reduce((sum, _c, c) => sum + trips.values[c * routes + r], 0n),
      ),
    ).toEqual(
      truth.routes.map((_, r) =>
        truth.byRouteHour.allTrips.slice(r * 24, r * 24 + 24).reduce((a, b) => a + b, 0n),
      ),
    );
    const spend = await run(
      p,
      p.inputs.find((i) => i.name === 'card_spend')!,
    );
    const products = truth.fareProducts.length;
    expect(
      truth.fareProducts.map((_, f) =>
        cards.reduce((sum, _c, c) => sum + spend.values[c * products + f], 0n),
      ),
    ).toEqual(truth.byProduct.allSpendCents);
  });

  it('reads one row of zone-pair flows per card: all cards sum to the all-rider oracle, enrolled cards to the enrolled one', async () => {
    const p = plan('reduced-fare-od-flows');
    const cards = (await cardsOf(p))!;
    const flows = await run(
      p,
      p.inputs.find((i) => i.name === 'card_flows')!,
    );
    const truth = allRidersOdFlowsOracle(city, { serviceDate: city.serviceDate });
    const cells = truth.flows.length;
    expect(cells).toBe(truth.zones.length ** 2);
    expect(flows.values).toHaveLength(cards.length * cells);
    const sumOver = (keep: (card: string) => boolean): bigint[] =>
      truth.flows.map((_, k) =>
        cards.reduce((sum, card, c) => (keep(card) ? sum + flows.values[c * cells + k] : sum), 0n),
      );
    expect(sumOver(() => true)).toEqual(truth.flows);
    const enrolled = new Set(city.planning.enrolment.map((e) => e.tokenId));
    const enrolledTruth = enrolledOdFlowsOracle(city, { serviceDate: city.serviceDate }).flows;
    expect(sumOver((card) => enrolled.has(card))).toEqual(enrolledTruth);
    expect(enrolledTruth.some((v) => v > 0n)).toBe(true);
    // No card contributes more than its 4 flows.
    for (let c = 0; c < cards.length; c++) {
      const row = flows.values.slice(c * cells, (c + 1) * cells);
      expect(row.reduce((a, b) => a + b, 0n)).toBeLessThanOrEqual(4n);
    }
  });
});
