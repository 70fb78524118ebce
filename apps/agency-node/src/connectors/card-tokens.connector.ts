import { readCardDays } from './card-days.js';
import { requireFiles } from './connector-files.js';
import type { TokenListConnector } from './token-list-connector.js';

/**
 * Fare payment processor: the card tokens with at least one paid row (tap-on or tap-off) on the
 * service date — the tap holder's side of a private join, one join position per card.
 */
export const cardTokens: TokenListConnector = async ({ plan, files, scope }) => {
  const { fareTransactions } = requireFiles('card-tokens', files, ['fareTransactions']);
  const { byToken, rowsRead } = await readCardDays(
    fareTransactions,
    plan.parameters.serviceDate,
    {},
    scope,
  );
  const tokens = [...byToken.keys()].sort();
  return { tokens, report: { rowsRead, tokens: tokens.length } };
};
