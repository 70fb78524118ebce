import { windowDays, windowFor } from '#concord/accounting';
import { type CatalogueEntry, type InputDefinition, PRIVACY_WINDOWS } from '#concord/protocol';
import {
  allRidersOdFlowsOracle,
  type City,
  fareCappingImpactOracle,
  type FareCappingImpactResult,
  enrolledOdFlowsOracle,
  reducedFareUseOracle,
  type ReducedFareUseResult,
  revenuePerBoardingOracle,
  ridershipPerCapitaOracle,
  titleViFareEquityOracle,
  transfersOracle,
} from '#concord/synth';
import { FARE_CAPS } from '../connectors/card-fare-capping.connectors.js';
import { DUPLICATE_TAP_SECONDS } from '../connectors/card-od-flows.connector.js';
import { TRANSFER_WINDOW_SECONDS } from '../connectors/transfers-by-route-pair.connector.js';
import { isoDate } from '../connectors/connector.js';

/** A catalogue protocol's exact outputs on a synthetic city, and the grid keys they are over. */
export interface CatalogueTruth {
  readonly outputs: Readonly<Record<string, readonly bigint[]>>;
  readonly axes: Readonly<Record<string, readonly string[]>>;
}

const inputOf = (entry: CatalogueEntry, name: string): InputDefinition =>
  entry.analysis.definition.inputs.find((i) => i.name === name)!;

/** The reduced-fare oracle with a join protocol's own per-card bounds. */
const reducedFareUseTruth = (city: City, entry: CatalogueEntry): ReducedFareUseResult =>
  reducedFareUseOracle(city, {
    serviceDate: city.serviceDate,
    maxTapsPerTokenDay: inputOf(entry, 'card_trips').contribution!.rows,
    maxCentsPerTokenDay: inputOf(entry, 'card_spend').contribution!.total,
  });

/**
 * The service days a protocol's request for the city's service date covers (YYYYMMDD, in order):
 * that day, or the seven of a weekly protocol's week, or the thirty of a 30-day protocol, from it.
 */
export function protocolServiceDates(city: City, entry: CatalogueEntry): string[] {
  const d = city.serviceDate;
  const first = isoDate(d);
  const days = PRIVACY_WINDOWS[entry.analysis.definition.privacyUnit.window];
  return (windowDays(windowFor(first, days)) ?? []).map((day) => day.replaceAll('-', ''));
}

/**
 * The fare-capping oracle over the protocol's service week, with its declared caps and per-card
 * bounds (per token-day and per token-week); `everyone` enrols every token (the all-rider sums
 * the protocol releases too).
 */
function fareCappingTruth(
  city: City,
  entry: CatalogueEntry,
  everyone: boolean,
): FareCappingImpactResult {
  const spend = inputOf(entry, 'card_spend').contribution!;
  const savings = inputOf(entry, 'card_savings').contribution!;
  const enrolment = everyone
    ? [...new Set(city.payments.fareTransactions.map((t) => t.tokenId))].map((tokenId) => ({
        tokenId,
      }))
    : city.planning.enrolment;
  return fareCappingImpactOracle(
    { ...city, planning: { ...city.planning, enrolment } },
    {
      serviceDates: protocolServiceDates(city, entry),
      ...FARE_CAPS,
      // The week's row allowance (`rows`, 7 × the day's) never binds, so the oracle has none.
      maxTapsPerTokenDay: spend.perDay?.rows ?? spend.rows,
      maxCentsPerTokenDay: spend.perDay?.total ?? spend.total,
      maxCentsPerToken: spend.total,
      maxSavingsCentsPerToken: savings.total,
      maxSavingsCentsPerTokenDay: savings.perDay?.total,
    },
  );
}

/**
 * Revenue per boarding over every day of the protocol's window: the daily oracle of each day,
 * with the per-token-day bounds (`perDay`, else the window's own: one day), summed, then each
 * cell clipped to the window's cell bound, as the connectors do (they bound each token-day,
 * add the days, then clip). The day's boardings are not clipped apart: the APC connector clips
 * the window's sum only.
 */
function revenuePerBoardingTruth(city: City, entry: CatalogueEntry): CatalogueTruth {
  const revenue = inputOf(entry, 'revenue');
  const boardingsMax = BigInt(inputOf(entry, 'boardings').cell.max);
  const revenueMax = BigInt(revenue.cell.max);
  const c = revenue.contribution!;
  const days = protocolServiceDates(city, entry).map((serviceDate) =>
    revenuePerBoardingOracle(city, {
      serviceDate,
      maxTapsPerTokenDay: c.perDay?.rows ?? c.rows,
      maxCentsPerTokenDay: c.perDay?.total ?? c.total,
      maxBoardingsPerCell: Number(boardingsMax),
    }),
  );
  const summed = (cells: (day: (typeof days)[number]) => readonly bigint[], max: bigint) =>
    cells(days[0]).map((_, i) => {
      const total = days.reduce((s, day) => s + cells(day)[i], 0n);
      return total < max ? total : max;
    });
  return {
    outputs: {
      boardings: summed((d) => d.boardings, boardingsMax),
      revenue: summed((d) => d.revenueCents, revenueMax),
    },
    axes: { route: days[0].routes, hour: days[0].hours.map(String) },
  };
}

/**
 * The synth oracles, called with each protocol's own declared bounds: what every catalogue
 * report must equal before noise (the demo prints it beside the release; tests compare to it).
 */
export const CATALOGUE_TRUTH: Readonly<
  Record<string, (city: City, entry: CatalogueEntry) => CatalogueTruth>
> = {
  'revenue-per-boarding': revenuePerBoardingTruth,
  'revenue-per-boarding-30-days': revenuePerBoardingTruth,
  'reduced-fare-use': (city, entry) => {
    const truth = reducedFareUseTruth(city, entry);
    const p = truth.byProduct;
    return {
      outputs: {
        enrolled_trips: p.enrolledTrips,
        all_trips: p.allTrips,
        enrolled_spend: p.enrolledSpendCents,
        all_spend: p.allSpendCents,
      },
      axes: { fare_product: truth.fareProducts },
    };
  },
  'reduced-fare-routes': (city, entry) => {
    const truth = reducedFareUseTruth(city, entry);
    // The oracle's route grid is route × hour; the protocol releases routes (hours summed).
    const byRoute = (cells: readonly bigint[]): bigint[] =>
      truth.routes.map((_, r) => cells.slice(r * 24, r * 24 + 24).reduce((a, b) => a + b, 0n));
    const c = truth.byRouteHour;
    return {
      outputs: {
        enrolled_trips: byRoute(c.enrolledTrips),
        all_trips: byRoute(c.allTrips),
        enrolled_spend: byRoute(c.enrolledSpendCents),
        all_spend: byRoute(c.allSpendCents),
      },
      axes: { route: truth.routes },
    };
  },
  'reduced-fare-capping': (city, entry) => {
    const enrolled = fareCappingTruth(city, entry, false);
    const all = fareCappingTruth(city, entry, true);
    return {
      outputs: {
        enrolled_spend: enrolled.spendCents,
        all_spend: all.spendCents,
        enrolled_savings: enrolled.savingsCents,
        all_savings: all.savingsCents,
      },
      axes: { zone: enrolled.zones },
    };
  },
  'reduced-fare-od-flows': (city, entry) => {
    const flows = inputOf(entry, 'card_flows');
    const params = {
      serviceDate: city.serviceDate,
      duplicateWindowSeconds: DUPLICATE_TAP_SECONDS,
      maxTapsPerTokenDay: flows.contribution!.rows,
      maxFlowsPerTokenDay: flows.contribution!.total,
    };
    const enrolled = enrolledOdFlowsOracle(city, params);
    return {
      outputs: {
        enrolled_flows: enrolled.flows,
        all_flows: allRidersOdFlowsOracle(city, params).flows,
      },
      axes: { from_zone: enrolled.zones, to_zone: enrolled.zones },
    };
  },
  'ridership-per-capita': (city, entry) => {
    const truth = ridershipPerCapitaOracle(city, {
      serviceDate: city.serviceDate,
      maxBoardingsPerStop: inputOf(entry, 'boardings').cell.max,
      maxPopulationPerZone: inputOf(entry, 'population').cell.max,
    });
    return {
      outputs: { boardings: truth.boardings, population: truth.population },
      axes: { zone: truth.zones },
    };
  },
  'title-vi-fare-equity': (city, entry) => {
    const taps = inputOf(entry, 'taps');
    const truth = titleViFareEquityOracle(city, {
      serviceDate: city.serviceDate,
      maxTapsPerTokenDay: taps.contribution!.rows,
      maxTapsPerStopProduct: taps.cell.max,
    });
    const group = (g: number): bigint[] =>
      truth.fareProducts.map((_, p) => truth.usage[p * truth.groups.length + g]);
    return {
      outputs: {
        total_taps: group(0).map((low, p) => low + group(1)[p]),
        low_income_taps: group(0),
        minority_taps: group(2),
      },
      axes: { fare_product: truth.fareProducts },
    };
  },
  transfers: (city, entry) => {
    const transfers = inputOf(entry, 'transfers');
    const truth = transfersOracle(city, {
      serviceDate: city.serviceDate,
      windowSeconds: TRANSFER_WINDOW_SECONDS,
      maxTapsPerTokenDay: transfers.contribution!.rows,
      maxTransfersPerTokenDay: transfers.contribution!.total,
    });
    return {
      outputs: { transfers: truth.counts },
      axes: { from_route: truth.routes, to_route: truth.routes },
    };
  },
};
