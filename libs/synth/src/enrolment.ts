import { type EnrolmentRecord, type ZoneRecord } from './city-records.js';
import { type EnrolmentParams } from './params.js';
import { type Rider } from './riders.js';
import { clamp, pickWeighted } from './sampling.js';
import { substream } from './substream.js';

/** What the enrolment draw needs beyond the riders: the seed, the rates, the equity tilt. */
export interface EnrolmentContext {
  seed: string;
  params: EnrolmentParams;
  /** Zone low-income share over the rider-weighted mean (`RiderPopulation.equityRatio`). */
  equityRatio: ArrayLike<number>;
}

/** The list never holds more tokens per enrolled person than this (one live card + 2 retired). */
export const MAX_TOKENS_PER_ENROLLEE = 3;

/** Cap on the equity-tilted chance that a rider on another product is enrolled. */
const MAX_OTHER_PRODUCT_CHANCE = 0.1;

/**
 * The tokens planning's list holds for one rider (empty when not enrolled), drawn only from
 * substream (seed, C, enrolment, rider index): the rider's own draws are untouched, and the
 * streamed writer, which regenerates riders one at a time, gets the same list.
 *
 * - A low-income-fare card is on the list with probability `lowIncomeCardListed`; otherwise it
 *   was enrolled elsewhere, so its reduced taps come from a card planning does not hold.
 * - A card on any other product is on the list with probability `otherProductEnrolled` × the
 *   home zone's equity ratio (capped at 10 %): enrolled people who ride on an employer pass, a
 *   senior fare or a card whose concession was never loaded.
 * - Each enrolled rider also brings 0, 1 or 2 retired tokens (`extraCards`): lost or replaced
 *   cards the list still holds. They never tap, which with the days an enrollee does not ride
 *   keeps the overlap with a day's taps well below 100 %.
 * Cash riders hold no card and are never on the list.
 */
export function enrolledTokensOf(ctx: EnrolmentContext, rider: Rider): string[] {
  if (rider.cash) return [];
  const rng = substream(ctx.seed, 'C', 'enrolment', rider.index);
  const { lowIncomeCardListed, otherProductEnrolled, extraCards } = ctx.params;
  const chance =
    rider.category === 'low_income'
      ? lowIncomeCardListed
      : clamp(otherProductEnrolled * ctx.equityRatio[rider.homeZone], 0, MAX_OTHER_PRODUCT_CHANCE);
  if (!rng.chance(chance)) return [];
  const tokens = [rider.tokenId];
  const extra = pickWeighted(rng, extraCards);
  for (let k = 0; k < extra; k++) tokens.push(rng.nextHex64());
  return tokens;
}

/**
 * Planning's reduced-fare enrolment list: one row per token (home tract and income band of the
 * enrolled person), sorted by token id so the file reveals nothing about rider order. A retired
 * token that happens to equal a live one (probability ~2^-64) is written once.
 */
export function enrolmentRecords(
  ctx: EnrolmentContext,
  riders: Iterable<Rider>,
  zones: readonly ZoneRecord[],
): EnrolmentRecord[] {
  const byToken = new Map<string, EnrolmentRecord>();
  for (const r of riders) {
    for (const tokenId of enrolledTokensOf(ctx, r)) {
      if (byToken.has(tokenId)) continue;
      byToken.set(tokenId, {
        tokenId,
        homeGeoid: zones[r.homeZone].geoid,
        incomeBand: r.incomeBand,
      });
    }
  }
  return [...byToken.values()].sort((a, b) =>
    a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0,
  );
}
