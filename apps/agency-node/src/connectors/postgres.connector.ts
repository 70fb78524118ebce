import pg from 'pg';
import { type Connector, clipCells, gridIndex } from './connector.js';
import { ConnectorError } from './connector-error.js';

/** Rows fetched per round trip from the server-side cursor. */
const FETCH_ROWS = 5000;
const CURSOR = 'concord_input';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const SETTINGS = new Set(['source', 'url', 'urlEnv', 'table', 'query']);
/** Error classes whose server messages name objects, never data values (SQLSTATE classes). */
const SAFE_CLASSES = new Set(['08', '0A', '25', '28', '3D', '42', '57']);
/** Every value as PostgreSQL's text form: exact integers, no Date or float conversions. */
const AS_TEXT = { getTypeParser: () => (text: string) => text };

interface DatabaseQuery {
  /** How errors name the source: `postgresql table <name>` or `postgresql query`. */
  readonly label: string;
  readonly url: string;
  readonly select: string;
  readonly values: readonly string[];
  /** Expected result columns (configured names; a query's own names are read from the result). */
  readonly columns: readonly string[] | undefined;
}

/**
 * Reads a protocol input from the agency's own PostgreSQL database instead of files. The
 * connector's node configuration names the database (`url`, or `urlEnv`: an environment
 * variable holding it) and either
 *
 * - `table` (`name` or `schema.name`) with a column per input axis (`columns.<axis>`, default
 *   the axis name), the value column (`columns.value`, default `value`) and optionally the
 *   service-date column (`columns.date`: only rows of the requested day are read), or
 * - `query`: one read-only SELECT whose result columns are the input's axes in order, then the
 *   value; `$1`, if used, is the service date as text `YYYY-MM-DD`.
 *
 * Rows with the same keys are added, rows off the published grid dropped, every cell clipped to
 * the declared range. The rows must already apply the input's semantics and contribution bounds
 * (a view or the query does it): this connector only streams, validates and aggregates. It
 * never writes: one READ ONLY transaction, a server-side cursor fetched in batches, a single
 * statement, rolled back at the end. A bad row stops the read with the table or query, the row
 * number in the result (1-based) and the column; values are never put in messages.
 */
export const readFromPostgres: Connector = async ({ plan, input, files }) => {
  const q = databaseQuery(input.axes, files, plan.parameters.serviceDate);
  const keys = input.axes.length;
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const nonNegative = input.cell.min >= 0;
  let rowsRead = 0;
  let rowsUsed = 0;
  const client = new pg.Client({
    connectionString: q.url,
    application_name: 'concord-agency-node',
    connectionTimeoutMillis: 15_000,
  });
  // A dropped connection also surfaces as the pending query's rejection; never crash the node.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query({
      text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${q.select}`,
      values: [...q.values],
    });
    let columns = q.columns;
    for (;;) {
      const batch = await client.query<string[]>({
        text: `FETCH FORWARD ${FETCH_ROWS} FROM ${CURSOR}`,
        rowMode: 'array',
        types: AS_TEXT,
      });
      if (!columns) {
        columns = batch.fields.map((f) => f.name);
        if (columns.length !== keys + 1)
          throw new ConnectorError(
            q.label,
            undefined,
            undefined,
            `the query returns ${columns.length} columns; expected ${keys + 1} (${input.axes.join(', ')}, then the value)`,
          );
      }
      const names = columns;
      for (const row of batch.rows) {
        rowsRead++;
        const at = (k: number, reason: string): ConnectorError =>
          new ConnectorError(q.label, rowsRead, names[k], reason);
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
      if (batch.rows.length < FETCH_ROWS) break;
    }
    await client.query(`CLOSE ${CURSOR}`);
  } catch (e) {
    throw e instanceof ConnectorError ? e : databaseError(q.label, e);
  } finally {
    // Closing the read-only transaction and the connection is best effort: the outcome above
    // (the values, or the error naming the query) is what counts, and must not be masked.
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
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
  const q = databaseQuery([], onlyTableSettings(settings), '1970-01-01');
  const column = quote(dateColumn);
  const table = settings.table.split('.').map(quote).join('.');
  const client = new pg.Client({
    connectionString: q.url,
    application_name: 'concord-agency-node',
    connectionTimeoutMillis: 15_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await client.query<string[]>({
      text: `SELECT DISTINCT to_char(${column}::date, 'YYYY-MM-DD') FROM ${table} WHERE ${column} IS NOT NULL ORDER BY 1 LIMIT ${MAX_COVERAGE_DATES}`,
      rowMode: 'array',
      types: AS_TEXT,
    });
    return result.rows.map((r) => r[0]);
  } catch (e) {
    throw databaseError(q.label, e);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** A table source's settings without the per-axis columns (which name axes of one input). */
function onlyTableSettings(settings: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).filter(
      ([k]) => !k.startsWith('columns.') || k === 'columns.date' || k === 'columns.value',
    ),
  );
}

/** The SELECT to run, from the connector's configuration; a configuration error otherwise. */
function databaseQuery(
  axes: readonly string[],
  settings: Readonly<Record<string, string>>,
  serviceDate: string | undefined,
): DatabaseQuery {
  const config = (reason: string): ConnectorError =>
    new ConnectorError('node configuration', undefined, undefined, `postgresql source: ${reason}`);
  const unknown = Object.keys(settings).filter(
    (k) => !SETTINGS.has(k) && !/^columns\.[a-z][a-z0-9_]*$/.test(k),
  );
  if (unknown.length > 0) throw config(`unknown setting(s) ${unknown.join(', ')}`);
  if ((settings.url === undefined) === (settings.urlEnv === undefined))
    throw config('name exactly one of "url" and "urlEnv"');
  const url = settings.url ?? process.env[settings.urlEnv] ?? '';
  if (!/^postgres(ql)?:\/\//.test(url))
    throw config(
      settings.url === undefined
        ? `environment variable ${settings.urlEnv} does not hold a postgresql:// URL`
        : '"url" must be a postgresql:// URL',
    );
  if ((settings.table === undefined) === (settings.query === undefined))
    throw config('name exactly one of "table" and "query"');

  if (settings.query !== undefined) {
    const select = settings.query.trim().replace(/;\s*$/, '');
    // One statement only: a second one could end the read-only transaction.
    if (select.length === 0 || select.includes(';')) throw config('"query" must be one statement');
    if (/\$([2-9]|1\d)/.test(select)) throw config('"query" may use only $1 (the service date)');
    const usesDate = /\$1(?!\d)/.test(select);
    if (usesDate && serviceDate === undefined) throw config('the protocol has no service date');
    const named = Object.keys(settings).filter((k) => k.startsWith('columns.'));
    if (named.length > 0) throw config('"columns.*" apply to "table", not to "query"');
    return {
      label: 'postgresql query',
      url,
      select,
      values: usesDate && serviceDate !== undefined ? [serviceDate] : [],
      columns: undefined,
    };
  }

  const table = settings.table.split('.');
  if (table.length > 2 || !table.every((p) => IDENTIFIER.test(p)))
    throw config('"table" must be name or schema.name');
  for (const k of Object.keys(settings).filter((s) => s.startsWith('columns.'))) {
    const axis = k.slice('columns.'.length);
    if (axis !== 'value' && axis !== 'date' && !axes.includes(axis))
      throw config(`${k} names no axis of this input`);
  }
  const column = (name: string, fallback: string): string => {
    const c = settings[`columns.${name}`] ?? fallback;
    if (!IDENTIFIER.test(c)) throw config(`columns.${name} must be a column name`);
    return c;
  };
  const columns = [...axes.map((a) => column(a, a)), column('value', 'value')];
  const date = settings['columns.date'];
  if (date !== undefined && serviceDate === undefined)
    throw config('the protocol has no service date');
  const where = date === undefined ? '' : ` WHERE ${quote(column('date', ''))}::date = $1::date`;
  return {
    label: `postgresql table ${settings.table}`,
    url,
    select: `SELECT ${columns.map(quote).join(', ')} FROM ${table.map(quote).join('.')}${where}`,
    values: date === undefined || serviceDate === undefined ? [] : [serviceDate],
    columns,
  };
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** An integer in PostgreSQL's text form (booleans as 1/0), or undefined. */
function integerValue(text: string | null): number | undefined {
  if (text === 't') return 1;
  if (text === 'f') return 0;
  if (text === null || !/^-?\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** A database failure as a connector error: SQLSTATE always, the server's text only when safe. */
function databaseError(label: string, e: unknown): ConnectorError {
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    const detail = SAFE_CLASSES.has(code.slice(0, 2)) && typeof err.message === 'string';
    return new ConnectorError(
      label,
      undefined,
      undefined,
      `the database refused the read (SQLSTATE ${code}${detail ? `: ${String(err.message)}` : ''})`,
    );
  }
  return new ConnectorError(
    label,
    undefined,
    undefined,
    `cannot read from the database${code ? ` (${code})` : ''}`,
  );
}
