import { basename } from 'node:path';
import { ConnectorError } from './connector-error.js';
import { requireFiles } from './connector-files.js';
import { detached, readCsv } from './csv-rows.js';
import type { TokenListConnector } from './token-list-connector.js';

/**
 * City planning: the card tokens enrolled in the reduced-fare programme (`enrolment.csv`, one
 * row per enrolled card) — the enrolment holder's side of a private join. A card listed twice
 * counts once.
 */
export const reducedFareEnrolment: TokenListConnector = async ({ files }) => {
  const { enrolment } = requireFiles('reduced-fare-enrolment', files, ['enrolment']);
  const tokens = new Set<string>();
  let rowsRead = 0;
  for await (const row of readCsv(enrolment, ['token_id'])) {
    rowsRead++;
    const token = row.get('token_id').trim();
    if (token.length === 0)
      throw new ConnectorError(basename(enrolment), row.line, 'token_id', 'empty token');
    tokens.add(detached(token));
  }
  return { tokens: [...tokens].sort(), report: { rowsRead, tokens: tokens.size } };
};
