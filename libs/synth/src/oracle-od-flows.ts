import { type FareTransactionRecord } from './city-records.js';
import { enrolledTokens, type JoinOracleCity, zoneAxis } from './oracle-join-inputs.js';
import { requireCount, requireServiceDate, toBigInts, tokenDays } from './oracle-inputs.js';
import { naiveTimestampSeconds } from './time-format.js';

export interface EnrolledOdFlowsParams {
  serviceDate: string;
  /**
   * A tap-on at the same stop_id and route_id as the token's previous kept tap-on, at most this
   * many seconds later, is a duplicate tap (the rider tapped twice) and is not a new origin.
   */
  duplicateWindowSeconds?: number;
  /** Tap-on rows kept per token-day (the first ones in time order, after duplicates). */
  maxTapsPerTokenDay?: number;
  /** Flows counted per token-day (the first ones in time order). */
  maxFlowsPerTokenDay?: number;
}

export interface EnrolledOdFlowsResult {
  /** GEOIDs of planning's zones, in natural order. */
  zones: string[];
  /** From-major cells: index = fromZone * zones.length + toZone (same-zone flows included). */
  flows: bigint[];
}

/**
 * Origin–destination flows of enrolled riders by zone pair, before noise.
 * P: tap-on rows of the date; per token-day in (event_timestamp, transaction_id) order, drop
 * duplicates (same stop_id and route_id as the previous kept tap-on, 0 ≤ Δt ≤
 * duplicateWindowSeconds, naive local time), keep the first maxTapsPerTokenDay; each
 * consecutive pair (i, i+1) is one flow from the zone of tap i's stop to the zone of tap i+1's
 * stop (the next boarding within the day; a transfer counts as a flow like any other tap-on).
 * The first maxFlowsPerTokenDay pairs count; a pair with a stop outside the public stop→zone
 * crosswalk uses up the cap and is then dropped. C: only tokens on the enrolment list count.
 * Per token-day bound: ≤ maxFlowsPerTokenDay in total over all cells.
 */
export function enrolledOdFlowsOracle(
  city: JoinOracleCity,
  params: EnrolledOdFlowsParams,
): EnrolledOdFlowsResult {
  const enrolled = enrolledTokens(city);
  return odFlows(city, params, (token) => enrolled.has(token));
}

/**
 * The same flows for every card rider, enrolled or not (the all-riders grid a join protocol
 * releases beside the enrolled one: same P, same bounds, C dropped).
 */
export function allRidersOdFlowsOracle(
  city: JoinOracleCity,
  params: EnrolledOdFlowsParams,
): EnrolledOdFlowsResult {
  return odFlows(city, params, () => true);
}

function odFlows(
  city: JoinOracleCity,
  params: EnrolledOdFlowsParams,
  counts: (token: string) => boolean,
): EnrolledOdFlowsResult {
  const serviceDate = requireServiceDate(params.serviceDate);
  const dupWindow = requireCount('duplicateWindowSeconds', params.duplicateWindowSeconds ?? 60);
  const maxTaps = requireCount('maxTapsPerTokenDay', params.maxTapsPerTokenDay ?? 8);
  const maxFlows = requireCount('maxFlowsPerTokenDay', params.maxFlowsPerTokenDay ?? 4);

  const { zones, zoneOfStop } = zoneAxis(city);
  const n = zones.keys.length;
  const flows = new Array<number>(n * n).fill(0);

  const groups = tokenDays(
    city.payments.fareTransactions,
    serviceDate,
    (r) => r.fareAction === 'tap-on' && counts(r.tokenId),
  );
  for (const rows of groups) {
    const kept: FareTransactionRecord[] = [];
    for (const row of rows) {
      if (kept.length === maxTaps) break;
      const prev = kept[kept.length - 1];
      if (prev && prev.stopId === row.stopId && prev.routeId === row.routeId) {
        const gap =
          naiveTimestampSeconds(row.eventTimestamp) - naiveTimestampSeconds(prev.eventTimestamp);
        if (gap >= 0 && gap <= dupWindow) continue;
      }
      kept.push(row);
    }
    for (let i = 0; i + 1 < kept.length && i < maxFlows; i++) {
      const from = zoneOfStop.get(kept[i].stopId);
      const to = zoneOfStop.get(kept[i + 1].stopId);
      if (from !== undefined && to !== undefined) flows[from * n + to]++;
    }
  }
  return { zones: zones.keys, flows: toBigInts(flows) };
}
