import { readCardDates } from './card-days.js';
import { cardServiceDates } from './card-rows.js';
import { requireFiles } from './connector-files.js';
import { NoDataForDateError } from './no-data-for-date.js';
import type { TokenListConnector } from './token-list-connector.js';

/**
 * Fare payment processor: the card tokens with at least one paid row (tap-on or tap-off) on any
 * of the plan's service days (its one day, or the seven of a week) — the tap holder's side of a
 * private join, one join position per card. A day without any paid row is a day the processor
 * has no data for: it declines (`no-data-for-date`, naming the day) rather than release a week
 * with a hole in it as if it measured the week.
 */
export const cardTokens: TokenListConnector = async ({ plan, files, scope }) => {
  const name = 'card-tokens';
  const { fareTransactions } = requireFiles(name, files, ['fareTransactions']);
  const dates = cardServiceDates(name, plan);
  const { days, rowsRead } = await readCardDates(fareTransactions, dates, {}, scope);
  const empty = days.findIndex((byToken) => byToken.size === 0);
  if (empty >= 0) throw new NoDataForDateError(name, dates[empty]);
  const tokens = [...new Set(days.flatMap((byToken) => [...byToken.keys()]))].sort();
  return { tokens, report: { rowsRead, tokens: tokens.length } };
};
