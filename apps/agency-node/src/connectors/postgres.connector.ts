import { planServiceDates } from '#concord/protocol';
import { type Connector, clipCells, gridIndex } from './connector.js';
import { ConnectorError } from './connector-error.js';
import {
  configError,
  type DatabaseQuery,
  databaseSettings,
  IDENTIFIER,
  queryDatabase,
  quote,
  quoteTable,
  readDatabaseRows,
} from './postgres-read.js';

/**
 * Reads a protocol input from the agency's own PostgreSQL database instead of files. The
 * connector's node configuration names the database (`url`, or `urlEnv`: an environment
 * variable holding it) and either
 *
 * - `table` (`name` or `schema.name`) with a column per input axis (`columns.<axis>`, default
 *   the axis name), the value column (`columns.value`, default `value`) and optionally the
 *   service-date column (`columns.date`: only rows of the requested day are read), or
 * - `query`: one read-only SELECT whose result columns are the input's axes in order, then the
 *   value; `$1`, if used, is the (first) service date as text `YYYY-MM-DD`, and `$2` the last
 *   one (the same day but for a weekly protocol).
 *
 * A dated table is read over every day the plan covers (one day, or a weekly protocol's seven).
 *
 * Rows with the same keys are added, rows off the published grid dropped, every cell clipped to
 * the declared range. The rows must already apply the input's semantics and contribution bounds
 * (a view or the query does it): this connector only streams, validates and aggregates. It
 * never writes: one READ ONLY transaction, a server-side cursor fetched in batches, a single
 * statement, rolled back at the end. A bad row stops the read with the table or query, the row
 * number in the result (1-based) and the column; values are never put in messages.
 */
export const readFromPostgres: Connector = async ({ plan, input, files }) => {
  const q = databaseQuery(input.axes, files, planServiceDates(plan));
  const keys = input.axes.length;
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const nonNegative = input.cell.min >= 0;
  let rowsRead = 0;
  let rowsUsed = 0;
  await readDatabaseRows(q, (rows, columns) => {
    if (columns.length !== keys + 1)
      throw new ConnectorError(
        q.label,
        undefined,
        undefined,
        `the query returns ${columns.length} columns; expected ${keys + 1} (${input.axes.join(', ')}, then the value)`,
      );
    for (const row of rows) {
      rowsRead++;
      const at = (k: number, reason: string): ConnectorError =>
        new ConnectorError(q.label, rowsRead, columns[k], reason);
      const key = row.slice(0, keys).map((v, k) => {
        if (v === null) throw at(k, 'null key');
        return v.trim();
      });
      const value = integerValue(row[keys]);
      if (value === undefined) throw at(keys, 'expected an integer (or boolean)');
      if (nonNegative && value < 0) throw at(keys, 'expected a non-negative integer');
      const i = cell(key);
      if (i < 0) continue;
      values[i] += value;
      rowsUsed++;
    }
  });
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

/** Distinct service dates read per round trip, at most (a decade of days fits). */
const MAX_COVERAGE_DATES = 5000;

/**
 * The service dates a database source holds, for the node's coverage announcement: a `table`
 * with `columns.date` is asked for its distinct dates (read only, like a read); a `table` without
 * a date column is `any-date`; a `query` using `$1` cannot be asked without running it for every
 * date, so it is `unknown` (one without `$1` is `any-date`).
 */
export async function postgresServiceDates(
  settings: Readonly<Record<string, string>>,
): Promise<string[] | 'any-date' | 'unknown'> {
  if (settings.query !== undefined)
    return /\$1(?!\d)/.test(settings.query) ? 'unknown' : 'any-date';
  const dateColumn = settings['columns.date'];
  if (dateColumn === undefined) return 'any-date';
  // The same checks as a read (url, table, column names); no axis is named here.
  const q = databaseQuery([], onlyTableSettings(settings), ['1970-01-01']);
  const column = quote(dateColumn);
  const rows = await queryDatabase({
    ...q,
    select: `SELECT DISTINCT to_char(${column}::date, 'YYYY-MM-DD') FROM ${quoteTable(settings.table)} WHERE ${column} IS NOT NULL ORDER BY 1 LIMIT ${MAX_COVERAGE_DATES}`,
    values: [],
  });
  return rows.flatMap((r) => (r[0] === null ? [] : [r[0]]));
}

/** A table source's settings without the per-axis columns (which name axes of one input). */
function onlyTableSettings(settings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).filter(
      ([k]) => !k.startsWith('columns.') || k === 'columns.date' || k === 'columns.value',
    ),
  );
}

/**
 * The SELECT to run over `dates` (the plan's service days, in order; none for a protocol without
 * a date), from the connector's configuration; a configuration error otherwise.
 */
function databaseQuery(
  axes: readonly string[],
  settings: Readonly<Record<string, string>>,
  dates: readonly string[],
): DatabaseQuery {
  const source = databaseSettings(settings);
  const [first, last] = [dates[0], dates[dates.length - 1]];

  if (source.query !== undefined) {
    if (/\$([3-9]|[12]\d)/.test(source.query))
      throw configError('"query" may use only $1 (the first service date) and $2 (the last)');
    // Only as many values as the query takes: the server refuses a surplus one.
    const takes = /\$2(?!\d)/.test(source.query) ? 2 : /\$1(?!\d)/.test(source.query) ? 1 : 0;
    if (takes > 0 && first === undefined) throw configError('the protocol has no service date');
    const named = Object.keys(settings).filter((k) => k.startsWith('columns.'));
    if (named.length > 0) throw configError('"columns.*" apply to "table", not to "query"');
    return {
      label: 'postgresql query',
      url: source.url,
      select: source.query,
      values:
        takes === 0 || first === undefined || last === undefined
          ? []
          : [first, last].slice(0, takes),
    };
  }

  for (const k of Object.keys(settings).filter((s) => s.startsWith('columns.'))) {
    const axis = k.slice('columns.'.length);
    if (axis !== 'value' && axis !== 'date' && !axes.includes(axis))
      throw configError(`${k} names no axis of this input`);
  }
  const column = (name: string, fallback: string): string => {
    const c = settings[`columns.${name}`] ?? fallback;
    if (!IDENTIFIER.test(c)) throw configError(`columns.${name} must be a column name`);
    return c;
  };
  const columns = [...axes.map((a) => column(a, a)), column('value', 'value')];
  const date = settings['columns.date'];
  if (date !== undefined && (first === undefined || last === undefined))
    throw configError('the protocol has no service date');
  let where = '';
  if (date !== undefined) {
    const dated = quote(column('date', ''));
    where =
      first === last
        ? ` WHERE ${dated}::date = $1::date`
        : ` WHERE ${dated}::date BETWEEN $1::date AND $2::date`;
  }
  return {
    label: `postgresql table ${source.table}`,
    url: source.url,
    select: `SELECT ${columns.map(quote).join(', ')} FROM ${quoteTable(source.table)}${where}`,
    values:
      date === undefined || first === undefined || last === undefined
        ? []
        : first === last
          ? [first]
          : [first, last],
  };
}

/** An integer in PostgreSQL's text form (booleans as 1/0), or undefined. */
function integerValue(text: string | null): number | undefined {
  if (text === 't') return 1;
  if (text === 'f') return 0;
  if (text === null || !/^-?\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}
