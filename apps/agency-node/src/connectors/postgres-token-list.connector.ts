import { ConnectorError } from './connector-error.js';
import {
  configError,
  databaseSettings,
  IDENTIFIER,
  quote,
  quoteTable,
  readDatabaseRows,
} from './postgres-read.js';
import type { TokenListConnector } from './token-list-connector.js';

/**
 * Reads a join holder's token list from the agency's own PostgreSQL database: a `table` and its
 * token column (`columns.token`, default `token_id`), or a one-column `query` (no parameters: an
 * enrolment list does not depend on the date). The same read-only cursor as every database
 * source; a token listed twice counts once; a null or empty token stops the read with its row
 * number, never its value.
 */
export const readTokensFromPostgres: TokenListConnector = async ({ files }) => {
  const source = databaseSettings(files);
  const named = Object.keys(files).filter((k) => k.startsWith('columns.'));
  if (source.query !== undefined) {
    if (named.length > 0) throw configError('"columns.*" apply to "table", not to "query"');
    if (/\$\d/.test(source.query)) throw configError('a token list "query" takes no parameters');
  } else if (named.some((k) => k !== 'columns.token')) {
    throw configError(`a token list names only columns.token (got ${named.join(', ')})`);
  }
  const column = files['columns.token'] ?? 'token_id';
  if (source.table !== undefined && !IDENTIFIER.test(column))
    throw configError('columns.token must be a column name');
  const q =
    source.table !== undefined
      ? {
          label: `postgresql table ${source.table}`,
          url: source.url,
          select: `SELECT ${quote(column)} FROM ${quoteTable(source.table)}`,
          values: [],
        }
      : { label: 'postgresql query', url: source.url, select: source.query, values: [] };
  const tokens = new Set<string>();
  let rowsRead = 0;
  await readDatabaseRows(q, (rows, columns) => {
    if (columns.length !== 1)
      throw new ConnectorError(
        q.label,
        undefined,
        undefined,
        `the query returns ${columns.length} columns; expected 1 (the token)`,
      );
    for (const [value] of rows) {
      rowsRead++;
      const token = value?.trim() ?? '';
      if (token.length === 0)
        throw new ConnectorError(
          q.label,
          rowsRead,
          columns[0],
          value === null ? 'null token' : 'empty token',
        );
      tokens.add(token);
    }
  });
  return { tokens: [...tokens].sort(), report: { rowsRead, tokens: tokens.size } };
};
