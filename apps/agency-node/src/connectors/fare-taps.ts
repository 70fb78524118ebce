import { basename } from 'node:path';
import { ConnectorError } from './connector-error.js';
import { detached, interner, readCsv } from './csv-rows.js';

/** One tap-on of a token-day, as the fare connectors that link or count taps need it. */
export interface TapOn {
  /** `event_timestamp`, local ISO time without offset; compared as a string. */
  readonly at: string;
  readonly id: string;
  readonly stop: string;
  readonly route: string;
  readonly product: string;
  /** The timestamp read as naive wall-clock seconds (no time zone, no DST). */
  readonly seconds: number;
}

const LOCAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/**
 * Streams TIDES-style `fare_transactions.csv` and returns the `tap-on` rows of one service date
 * (`YYYYMMDD`), grouped by token, each token-day in (event_timestamp, transaction_id) order with
 * both compared as strings. Rows of other dates and other fare actions are skipped unread; every
 * tap-on of the date is validated (timestamp, token), and every row's service_date must be a
 * date, so a file in the wrong schema fails loudly instead of matching nothing.
 */
export async function tapOnsByTokenDay(
  path: string,
  serviceDate: string,
): Promise<{
  readonly tokenDays: TapOn[][];
  /** The same token-days by card token (a join's per-card connectors look cards up). */
  readonly byToken: ReadonlyMap<string, readonly TapOn[]>;
  readonly rowsRead: number;
}> {
  const file = basename(path);
  const byToken = new Map<string, TapOn[]>();
  let rowsRead = 0;
  const required = [
    'transaction_id',
    'service_date',
    'event_timestamp',
    'token_id',
    'fare_action',
    'stop_id',
    'route_id',
    'fare_product',
  ];
  const intern = interner();
  for await (const row of readCsv(path, required)) {
    rowsRead++;
    const date = row.get('service_date').trim();
    if (!/^\d{8}$/.test(date))
      throw new ConnectorError(file, row.line, 'service_date', 'expected a date YYYYMMDD');
    if (date !== serviceDate || row.get('fare_action').trim() !== 'tap-on') continue;
    const at = row.get('event_timestamp').trim();
    const seconds = naiveSeconds(at);
    if (seconds === undefined)
      throw new ConnectorError(
        file,
        row.line,
        'event_timestamp',
        'expected a local time YYYY-MM-DDTHH:MM:SS',
      );
    const token = row.get('token_id').trim();
    if (token.length === 0) throw new ConnectorError(file, row.line, 'token_id', 'empty token');
    // Kept past the row: detached from the file's chunk (csv-rows.ts), repeated names shared.
    const tap: TapOn = {
      at: detached(at),
      id: detached(row.get('transaction_id').trim()),
      stop: intern(row.get('stop_id').trim()),
      route: intern(row.get('route_id').trim()),
      product: intern(row.get('fare_product').trim()),
      seconds,
    };
    const taps = byToken.get(token);
    if (taps) taps.push(tap);
    else byToken.set(detached(token), [tap]);
  }
  const tokenDays = [...byToken.values()];
  for (const taps of tokenDays) taps.sort(byTimeThenId);
  return { tokenDays, byToken, rowsRead };
}

function byTimeThenId(a: TapOn, b: TapOn): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Seconds since the epoch of a naive local timestamp, or undefined when it is not a real time. */
function naiveSeconds(text: string): number | undefined {
  const m = LOCAL_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  )
    return undefined;
  return ms / 1000;
}
