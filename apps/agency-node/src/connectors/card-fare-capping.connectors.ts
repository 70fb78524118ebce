import type { SessionPlan } from '#concord/protocol';
import type { Connector, ConnectorContext } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireContribution, requireFiles } from './connector-files.js';
import { cappedWindowSpend, type PaidRow, type WindowBound } from './card-days.js';
import { perCardRows, windowBoundOf } from './card-rows.js';
import { addSpend } from './card-trips-and-spend.connectors.js';
import { readStopZones } from './stop-zone-crosswalk.js';

/**
 * The fare caps `reduced-fare-capping` asks about, in cents: the city's proposal for the
 * reduced-fare programme, two reduced fares a day and ten a week. Protocol constants (not
 * parameters): changing them is a new protocol version. The protocol's window is a service week,
 * so both caps bind: the daily one within each day, the weekly one across the seven.
 */
export const FARE_CAPS = { dailyCapCents: 200, weeklyCapCents: 1_000 } as const;

/** The per-card spend input whose bounds the savings are computed against. */
const SPEND_CONNECTOR = 'card-spend-by-zone';

/**
 * Fare payment processor, per card (a join protocol's tap-holder input): spend in cents over the
 * first paid rows of each of the card's days in the plan's window, by zone of the row's stop (a
 * tap-on's boarding stop, a tap-off's exit station) through the public stop→zone crosswalk,
 * capped per token-day and per token-window as the contribution declares (as
 * `card-spend-by-route`). A row at a stop off the crosswalk or the zone grid uses up its
 * allowance and is dropped.
 */
export const cardSpendByZone: Connector = async (context) => {
  const zoneOf = await zoneCell(SPEND_CONNECTOR, context);
  return perCardRows(SPEND_CONNECTOR, context, (days, cell, row, bound) =>
    addSpend(days, (r) => zoneOf(r, cell), row, bound),
  );
};

/**
 * Fare payment processor, per card: what `FARE_CAPS` would have saved the card over the plan's
 * window (a week), by zone, exactly as `fareCappingImpactOracle` computes it. The kept rows of
 * each day, each one's spend s clipped as `card-spend-by-zone` does (the plan's input of that
 * connector gives the token-day and token-week bounds), are replayed over the week in time order:
 * charged = min(s, daily cap − charged that day, weekly cap − charged that week), saving =
 * s − charged, clipped to what is left of the contribution's per-day and window totals. The
 * saving lands in the zone of the row's stop, i.e. on the tap that goes over a cap and every paid
 * tap after it (on that day and, once the weekly cap is reached, every later day); a row off the
 * crosswalk still counts towards the caps and the bounds, then is dropped.
 */
export const cardSavingsByZone: Connector = async (context) => {
  const name = 'card-savings-by-zone';
  const spendBound = spendBoundOf(context.plan, name);
  const zoneOf = await zoneCell(name, context);
  return perCardRows(name, context, (days, cell, row, bound) => {
    const savings = cappedSavings(days, spendBound, bound);
    let used = 0;
    days.forEach((kept, d) =>
      kept.forEach((r, k) => {
        const i = zoneOf(r, cell);
        if (i < 0) return;
        row[i] += savings[d][k];
        used++;
      }),
    );
    return used;
  });
};

/**
 * Per kept row of a token's days (in date order), what the caps save on it: the spend clipped
 * under `spendBound`, replayed under both caps, each saving clipped to what is left of `bound`
 * for its token-day and for the token's window.
 */
export function cappedSavings(
  days: readonly (readonly PaidRow[])[],
  spendBound: WindowBound,
  bound: WindowBound,
): number[][] {
  const spend = cappedWindowSpend(days, spendBound);
  let weekCharged = 0;
  let windowLeft = bound.total;
  return spend.map((daySpend) => {
    let dayCharged = 0;
    let dayLeft = bound.dayTotal;
    return daySpend.map((s) => {
      const pay = Math.max(
        0,
        Math.min(s, FARE_CAPS.dailyCapCents - dayCharged, FARE_CAPS.weeklyCapCents - weekCharged),
      );
      dayCharged += pay;
      weekCharged += pay;
      const saving = Math.min(s - pay, dayLeft, windowLeft);
      dayLeft -= saving;
      windowLeft -= saving;
      return saving;
    });
  });
}

/** The spend bounds declared by the plan's `card-spend-by-zone` input (per day and window). */
function spendBoundOf(plan: SessionPlan, connector: string): WindowBound {
  const spend = plan.inputs.find((i) => i.connector === SPEND_CONNECTOR);
  if (!spend) {
    throw new ConnectorError(
      'protocol',
      undefined,
      undefined,
      `connector ${connector} needs an input of connector ${SPEND_CONNECTOR} (its spend bound)`,
    );
  }
  return windowBoundOf(requireContribution(spend));
}

/** A kept row's zone cell through the public crosswalk (−1 off the crosswalk or the grid). */
async function zoneCell(
  connector: string,
  { files }: ConnectorContext,
): Promise<(r: PaidRow, cell: (keys: readonly string[]) => number) => number> {
  const { stopZones } = requireFiles(connector, files, ['fareTransactions', 'stopZones']);
  const zoneOfStop = await readStopZones(stopZones);
  return (r, cell) => {
    const zone = zoneOfStop.get(r.stop);
    return zone === undefined ? -1 : cell([zone]);
  };
}
