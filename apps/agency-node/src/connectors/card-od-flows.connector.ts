import { readStopZones } from './stop-zone-crosswalk.js';
import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { requireCards, requireContribution, requireFiles } from './connector-files.js';
import { type TapOn, tapOnsByTokenDay } from './fare-taps.js';

/**
 * A tap-on at the same stop and route as the card's previous kept tap-on, at most this many
 * seconds later (inclusive, naive local time), is the rider tapping twice: not a new origin.
 */
export const DUPLICATE_TAP_SECONDS = 60;

const NAME = 'card-od-flows-by-zone-pair';

/**
 * Fare payment processor, per card (a join protocol's tap-holder input): origin–destination
 * flows between zones. One row per card of the join's card list, in its order, over the
 * from-zone × to-zone grid (from-major). A card's tap-ons of the day in (event_timestamp,
 * transaction_id) order, duplicates dropped, the first `rows` kept; each consecutive pair is one
 * flow from the zone of the first tap's stop to the zone of the next one's, through the public
 * stop→zone crosswalk (`stop_zone.csv`, which planning publishes and any party may hold).
 *
 * Contribution bounding per token-day: only the first `total` pairs count; a pair with a stop
 * outside the crosswalk (or in a zone off the published grid) uses up its allowance and is
 * dropped. The synthetic city's `enrolledOdFlowsOracle` computes exactly this.
 */
export const cardOdFlowsByZonePair: Connector = async ({ plan, input, files, ...context }) => {
  const cards = requireCards(NAME, context.cards);
  const { fareTransactions, stopZones } = requireFiles(NAME, files, [
    'fareTransactions',
    'stopZones',
  ]);
  const bound = requireContribution(input);
  const zoneOfStop = await readStopZones(stopZones);
  const { byToken, rowsRead } = await tapOnsByTokenDay(
    fareTransactions,
    gtfsDate(plan.parameters.serviceDate),
  );
  const cell = gridIndex(plan, input.axes.slice(1));
  const width = input.length / (plan.join?.capacity ?? 1);
  const values = new Float64Array(cards.length * width);
  let rowsUsed = 0;
  cards.forEach((token, c) => {
    const taps = withoutDuplicates(byToken.get(token) ?? [], bound.rows);
    const row = values.subarray(c * width, (c + 1) * width);
    let lastUsed = -1;
    for (let k = 0; k + 1 < taps.length && k < bound.total; k++) {
      const from = zoneOfStop.get(taps[k].stop);
      const to = zoneOfStop.get(taps[k + 1].stop);
      const i = from === undefined || to === undefined ? -1 : cell([from, to]);
      if (i < 0) continue;
      row[i] += 1;
      // A tap ends one flow and starts the next: count each row once.
      rowsUsed += lastUsed === k ? 1 : 2;
      lastUsed = k + 1;
    }
  });
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

/** The first `max` tap-ons of a token-day that are not duplicate taps of the one before. */
function withoutDuplicates(taps: readonly TapOn[], max = Number.MAX_SAFE_INTEGER): TapOn[] {
  const kept: TapOn[] = [];
  for (const tap of taps) {
    if (kept.length === max) break;
    const prev = kept[kept.length - 1];
    if (prev && prev.stop === tap.stop && prev.route === tap.route) {
      const gap = tap.seconds - prev.seconds;
      if (gap >= 0 && gap <= DUPLICATE_TAP_SECONDS) continue;
    }
    kept.push(tap);
  }
  return kept;
}
