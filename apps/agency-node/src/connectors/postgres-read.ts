import pg from 'pg';
import { ConnectorError } from './connector-error.js';

/**
 * What every PostgreSQL source shares: its settings checked, one read-only transaction, a
 * server-side cursor fetched in batches, and errors that name the source and never a value.
 */

/** Rows fetched per round trip from the server-side cursor. */
const FETCH_ROWS = 5000;
const CURSOR = 'concord_input';
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const SETTINGS = new Set(['source', 'url', 'urlEnv', 'table', 'query']);
/** Error classes whose server messages name objects, never data values (SQLSTATE classes). */
const SAFE_CLASSES = new Set(['08', '0A', '25', '28', '3D', '42', '57']);
/** Every value as PostgreSQL's text form: exact integers, no Date or float conversions. */
const AS_TEXT = { getTypeParser: () => (text: string) => text };

export interface DatabaseQuery {
  /** How errors name the source: `postgresql table <name>` or `postgresql query`. */
  readonly label: string;
  readonly url: string;
  readonly select: string;
  readonly values: readonly string[];
}

/** A source's settings, checked: the database URL and exactly one of a table and a query. */
export type DatabaseSettings =
  | { readonly url: string; readonly table: string; readonly query?: undefined }
  | { readonly url: string; readonly query: string; readonly table?: undefined };

/** A configuration error of a PostgreSQL source (names the setting, never its value). */
export function configError(reason: string): ConnectorError {
  return new ConnectorError(
    'node configuration',
    undefined,
    undefined,
    `postgresql source: ${reason}`,
  );
}

/** The settings every source has, checked (`columns.<name>` settings are the caller's). */
export function databaseSettings(settings: Readonly<Record<string, string>>): DatabaseSettings {
  const unknown = Object.keys(settings).filter(
    (k) => !SETTINGS.has(k) && !/^columns\.[a-z][a-z0-9_]*$/.test(k),
  );
  if (unknown.length > 0) throw configError(`unknown setting(s) ${unknown.join(', ')}`);
  if ((settings.url === undefined) === (settings.urlEnv === undefined))
    throw configError('name exactly one of "url" and "urlEnv"');
  const url = settings.url ?? process.env[settings.urlEnv] ?? '';
  if (!/^postgres(ql)?:\/\//.test(url))
    throw configError(
      settings.url === undefined
        ? `environment variable ${settings.urlEnv} does not hold a postgresql:// URL`
        : '"url" must be a postgresql:// URL',
    );
  if ((settings.table === undefined) === (settings.query === undefined))
    throw configError('name exactly one of "table" and "query"');
  if (settings.table !== undefined) {
    const parts = settings.table.split('.');
    if (parts.length > 2 || !parts.every((p) => IDENTIFIER.test(p)))
      throw configError('"table" must be name or schema.name');
    return { url, table: settings.table };
  }
  return { url, query: oneStatement(settings.query) };
}

/** A query as one statement: a second one could end the read-only transaction. */
function oneStatement(query: string): string {
  const select = query.trim().replace(/;\s*$/, '');
  if (select.length === 0 || select.includes(';'))
    throw configError('"query" must be one statement');
  return select;
}

/** A setting's identifier (a table name part or a column name), quoted for SQL. */
export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** A configured table name (`name` or `schema.name`), quoted for SQL. */
export function quoteTable(table: string): string {
  return table.split('.').map(quote).join('.');
}

/** A client for one read: errors surface as the pending query's rejection, never a crash. */
export function readOnlyClient(url: string): pg.Client {
  const client = new pg.Client({
    connectionString: url,
    application_name: 'concord-agency-node',
    connectionTimeoutMillis: 15_000,
  });
  client.on('error', () => undefined);
  return client;
}

/**
 * Runs `q` in one READ ONLY transaction through a server-side cursor and hands each batch of rows
 * (every value in PostgreSQL's text form, or null) with the result's column names to `take`,
 * which may throw to stop the read. Rolled back and closed at the end, whatever happened.
 */
export async function readDatabaseRows(
  q: DatabaseQuery,
  take: (rows: readonly (string | null)[][], columns: readonly string[]) => void,
): Promise<void> {
  const client = readOnlyClient(q.url);
  try {
    await client.connect();
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query({
      text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${q.select}`,
      values: [...q.values],
    });
    for (;;) {
      const batch = await client.query<(string | null)[]>({
        text: `FETCH FORWARD ${FETCH_ROWS} FROM ${CURSOR}`,
        rowMode: 'array',
        types: AS_TEXT,
      });
      take(
        batch.rows,
        batch.fields.map((f) => f.name),
      );
      if (batch.rows.length < FETCH_ROWS) break;
    }
    await client.query(`CLOSE ${CURSOR}`);
  } catch (e) {
    throw e instanceof ConnectorError ? e : databaseError(q.label, e);
  } finally {
    // Closing the read-only transaction and the connection is best effort: the outcome above
    // (the rows, or the error naming the query) is what counts, and must not be masked.
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** Runs one small read-only SELECT (no cursor) and returns its rows as text. */
export async function queryDatabase(q: DatabaseQuery): Promise<(string | null)[][]> {
  const client = readOnlyClient(q.url);
  try {
    await client.connect();
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await client.query<(string | null)[]>({
      text: q.select,
      values: [...q.values],
      rowMode: 'array',
      types: AS_TEXT,
    });
    return result.rows;
  } catch (e) {
    throw databaseError(q.label, e);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** A database failure as a connector error: SQLSTATE always, the server's text only when safe. */
export function databaseError(label: string, e: unknown): ConnectorError {
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
