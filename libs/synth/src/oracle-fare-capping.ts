import { type FareTransactionRecord } from './city-records.js';
import {
  clippedSpend,
  enrolledTokens,
  isPaidAction,
  type JoinOracleCity,
  zoneAxis,
} from './oracle-join-inputs.js';
import { compareStrings, requireCount, requireServiceDate, toBigInts } from './oracle-inputs.js';
import { SynthError } from './synth-error.js';
import { serviceDateMs } from './time-format.js';

export interface FareCappingImpactParams {
  /**
   * The declared window: 1 to 7 distinct service dates spanning at most 7 days (one fare week).
   * The weekly cap applies across all of them, the daily cap to each.
   */
  serviceDates: readonly string[];
  /** Declared daily cap: what a card pays at most per service day, cents. */
  dailyCapCents: number;
  /** Declared weekly cap: what a card pays at most over the window, cents. */
  weeklyCapCents: number;
  /** Fare rows (tap-on and tap-off) kept per token-day, the first ones in time order. */
  maxTapsPerTokenDay?: number;
  /** Each row's amount and the token-day's running total are capped at this many cents. */
  maxCentsPerTokenDay?: number;
  /**
   * The token's running spend over the window is capped at this many cents too (after the
   * token-day cap); default: no window cap (days × maxCentsPerTokenDay at most).
   */
  maxCentsPerToken?: number;
  /** A token's savings over the window are capped at this many cents (running, in time order). */
  maxSavingsCentsPerToken: number;
  /** A token-day's savings are capped at this many cents too (running); default: no day cap. */
  maxSavingsCentsPerTokenDay?: number;
}

export interface FareCappingImpactResult {
  /** GEOIDs of planning's zones, in natural order. */
  zones: string[];
  /** Enrolled riders' clipped spend per zone (what they paid, as clipped), cents. */
  spendCents: bigint[];
  /** What the declared caps would have saved enrolled riders, per zone, cents. */
  savingsCents: bigint[];
}

const DAY_MS = 86_400_000;
const MAX_WINDOW_DAYS = 7;

function requireWindow(dates: readonly string[]): Set<string> {
  const window = new Set(dates.map(requireServiceDate));
  const ms = [...window].map(serviceDateMs);
  if (
    window.size === 0 ||
    window.size !== dates.length ||
    Math.max(...ms) - Math.min(...ms) >= MAX_WINDOW_DAYS * DAY_MS
  ) {
    throw new SynthError(
      'invalid-params',
      'serviceDates must be 1 to 7 distinct dates within one 7-day window',
    );
  }
  return window;
}

/** An optional bound: absent means none (the running total never binds). */
function optionalCount(name: string, value: number | undefined): number {
  return value === undefined ? Number.POSITIVE_INFINITY : requireCount(name, value);
}

/**
 * Fare-capping impact for enrolled riders per zone, before noise.
 * P: tap-on and tap-off rows whose service_date is in the window, of tokens on planning's list
 * (C), in (service_date, event_timestamp, transaction_id) order. Per token-day keep the first
 * maxTapsPerTokenDay rows and clip their spend as `revenuePerBoardingOracle` does (each amount
 * to [0, maxCentsPerTokenDay], then to what is left of maxCentsPerTokenDay for the day), then
 * to what is left of maxCentsPerToken for the window: that clipped spend s is what the rider
 * paid. Then replay the declared caps over the token's rows in order: charged = min(s,
 * dailyCapCents − charged so far that day, weeklyCapCents − charged so far in the window),
 * saving = s − charged. The saving is attributed to the zone of the row's stop (the boarding
 * stop of a tap-on, the exit station of a tap-off), i.e. to the tap that goes over a cap and
 * every paid tap after it; it is clipped to what is left of maxSavingsCentsPerTokenDay for the
 * day and of maxSavingsCentsPerToken for the token. Rows at stops outside the public stop→zone
 * crosswalk still use up every allowance and count towards the caps, then are dropped.
 * Per token bound over the window: spend ≤ min(days × maxCentsPerTokenDay, maxCentsPerToken),
 * savings ≤ maxSavingsCentsPerToken, each summed over all zones.
 */
export function fareCappingImpactOracle(
  city: JoinOracleCity,
  params: FareCappingImpactParams,
): FareCappingImpactResult {
  const window = requireWindow(params.serviceDates);
  const dailyCap = requireCount('dailyCapCents', params.dailyCapCents);
  const weeklyCap = requireCount('weeklyCapCents', params.weeklyCapCents);
  const maxTaps = requireCount('maxTapsPerTokenDay', params.maxTapsPerTokenDay ?? 8);
  const maxCents = requireCount('maxCentsPerTokenDay', params.maxCentsPerTokenDay ?? 500);
  const maxSavings = requireCount('maxSavingsCentsPerToken', params.maxSavingsCentsPerToken);
  const maxWindowCents = optionalCount('maxCentsPerToken', params.maxCentsPerToken);
  const maxDaySavings = optionalCount(
    'maxSavingsCentsPerTokenDay',
    params.maxSavingsCentsPerTokenDay,
  );

  const { zones, zoneOfStop } = zoneAxis(city);
  const enrolled = enrolledTokens(city);
  const spendCents = new Array<number>(zones.keys.length).fill(0);
  const savingsCents = new Array<number>(zones.keys.length).fill(0);

  // token -> service date -> rows
  const byToken = new Map<string, Map<string, FareTransactionRecord[]>>();
  for (const row of city.payments.fareTransactions) {
    if (!window.has(row.serviceDate) || !isPaidAction(row) || !enrolled.has(row.tokenId)) continue;
    let days = byToken.get(row.tokenId);
    if (!days) byToken.set(row.tokenId, (days = new Map<string, FareTransactionRecord[]>()));
    const list = days.get(row.serviceDate);
    if (list) list.push(row);
    else days.set(row.serviceDate, [row]);
  }

  for (const days of byToken.values()) {
    let weekCharged = 0;
    let savingsLeft = maxSavings;
    let spendLeft = maxWindowCents;
    const ordered = [...days.entries()].sort(([a], [b]) => compareStrings(a, b));
    for (const [, dayRows] of ordered) {
      const rows = dayRows
        .sort(
          (a, b) =>
            compareStrings(a.eventTimestamp, b.eventTimestamp) ||
            compareStrings(a.transactionId, b.transactionId),
        )
        .slice(0, maxTaps);
      const spend = clippedSpend(rows, maxCents).map((s) => {
        const kept = Math.min(s, spendLeft);
        spendLeft -= kept;
        return kept;
      });
      let dayCharged = 0;
      let daySavingsLeft = maxDaySavings;
      rows.forEach((row, i) => {
        const charged = Math.max(
          0,
          Math.min(spend[i], dailyCap - dayCharged, weeklyCap - weekCharged),
        );
        dayCharged += charged;
        weekCharged += charged;
        const saving = Math.min(spend[i] - charged, savingsLeft, daySavingsLeft);
        savingsLeft -= saving;
        daySavingsLeft -= saving;
        const zone = zoneOfStop.get(row.stopId);
        if (zone === undefined) return;
        spendCents[zone] += spend[i];
        savingsCents[zone] += saving;
      });
    }
  }
  return {
    zones: zones.keys,
    spendCents: toBigInts(spendCents),
    savingsCents: toBigInts(savingsCents),
  };
}
