import type { SessionPlan } from '#concord/protocol';
import type { Connector, ConnectorContext } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireContribution, requireFiles } from './connector-files.js';
import { cappedSpend, type PaidRow } from './card-days.js';
import { perCardRows } from './card-rows.js';
import { addSpend } from './card-trips-and-spend.connectors.js';
import { readStopZones } from './stop-zone-crosswalk.js';

/**
 * The fare caps `reduced-fare-capping` asks about, in cents: the city's proposal for the
 * reduced-fare programme, two reduced fares a day and ten a week. Protocol constants (not
 * parameters): the protocol covers one service day, on which the weekly cap binds only if it is
 * below the daily one; it awaits a week window (multi-date parameters and budget windows).
 */
export const FARE_CAPS = { dailyCapCents: 200, weeklyCapCents: 1_000 } as const;

/** The per-card spend input whose token-day bound the savings are computed against. */
const SPEND_CONNECTOR = 'card-spend-by-zone';

/**
 * Fare payment processor, per card (a join protocol's tap-holder input): spend in cents over the
 * first `rows` paid rows of the card's day, by zone of the row's stop (a tap-on's boarding stop,
 * a tap-off's exit station) through the public stop→zone crosswalk, capped at the contribution
 * total for the token-day as `card-spend-by-route`. A row at a stop off the crosswalk or the zone
 * grid uses up its allowance and is dropped.
 */
export const cardSpendByZone: Connector = async (context) => {
  const zoneOf = await zoneCell(SPEND_CONNECTOR, context);
  return perCardRows(SPEND_CONNECTOR, context, (kept, cell, row, cap) =>
    addSpend(kept, (r) => zoneOf(r, cell), row, cap),
  );
};

/**
 * Fare payment processor, per card: what `FARE_CAPS` would have saved the card on its day, by
 * zone, exactly as `fareCappingImpactOracle` computes it for one day. The first `rows` paid rows,
 * each one's spend s clipped as `card-spend-by-zone` does (the plan's input of that connector
 * gives the token-day bound), are replayed in time order: charged = min(s, daily cap − charged so
 * far, weekly cap − charged so far), saving = s − charged, clipped to what is left of the
 * contribution total for the token-day. The saving lands in the zone of the row's stop, i.e. on
 * the tap that goes over a cap and every paid tap after it; a row off the crosswalk still counts
 * towards the caps and the bound, then is dropped.
 */
export const cardSavingsByZone: Connector = async (context) => {
  const name = 'card-savings-by-zone';
  const spendClip = spendBoundOf(context.plan, name);
  const zoneOf = await zoneCell(name, context);
  return perCardRows(name, context, (kept, cell, row, cap) => {
    const savings = cappedSavings(kept, spendClip, cap);
    let used = 0;
    kept.forEach((r, k) => {
      const i = zoneOf(r, cell);
      if (i < 0) return;
      row[i] += savings[k];
      used++;
    });
    return used;
  });
};

/** Per kept row, what the caps save on it (one token-day), the running total capped at `bound`. */
export function cappedSavings(
  kept: readonly PaidRow[],
  spendClip: number,
  bound: number,
): number[] {
  const spend = cappedSpend(kept, spendClip);
  // One service day: what the token paid that day is also what it paid in the week window.
  let charged = 0;
  let left = bound;
  return spend.map((s) => {
    const pay = Math.max(
      0,
      Math.min(s, FARE_CAPS.dailyCapCents - charged, FARE_CAPS.weeklyCapCents - charged),
    );
    charged += pay;
    const saving = Math.min(s - pay, left);
    left -= saving;
    return saving;
  });
}

/** The token-day spend bound declared by the plan's `card-spend-by-zone` input. */
function spendBoundOf(plan: SessionPlan, connector: string): number {
  const spend = plan.inputs.find((i) => i.connector === SPEND_CONNECTOR);
  if (!spend) {
    throw new ConnectorError(
      'protocol',
      undefined,
      undefined,
      `connector ${connector} needs an input of connector ${SPEND_CONNECTOR} (its spend bound)`,
    );
  }
  return requireContribution(spend).total;
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
