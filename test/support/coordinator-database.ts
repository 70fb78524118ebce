import { embeddedPgliteOnDisk } from './embedded-pglite-on-disk.js';
import { pgliteServerOnDisk } from './pglite-server-on-disk.js';
import { scratchPostgres } from './scratch-postgres.js';

/**
 * One SQL statement on the coordinator's database, rows back. Column types are whatever each
 * driver returns (`pg` gives bigint and numeric as strings, PGlite may not): cast in SQL
 * (`::int`, `::text`) to get one shape on both.
 */
export type Sql = <Row extends object = Record<string, unknown>>(
  text: string,
  params?: readonly unknown[],
) => Promise<Row[]>;

/**
 * A database that outlives coordinator processes, so a restarted coordinator finds what the
 * killed one wrote, and that a test can read and tamper with directly.
 */
export interface CoordinatorDatabase {
  /** `postgres`: a scratch database on the real server; `pglite`: PGlite keeping its files on disk. */
  readonly kind: 'postgres' | 'pglite';
  /** Where the database server listens, for a proxy in front of it; none when the coordinator hosts it. */
  readonly port: number | undefined;
  /** Whether `run` needs the coordinator gone first (PGlite: one owner and one client at a time). */
  readonly exclusive: boolean;
  /** The coordinator's environment for this database, reached directly or through `viaPort`. */
  coordinatorEnv(viaPort?: number): NodeJS.ProcessEnv;
  /** Runs `work` on a direct connection of the test's own (never through a proxy). */
  run<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Drops the scratch database or stops the database server. */
  dispose(): Promise<void>;
}

/**
 * The database for a fault-test consortium in `dir`: a scratch database on the real PostgreSQL
 * when DATABASE_URL is set; else PGlite on disk, hosted by the coordinator itself (EMBEDDED_DB=disk,
 * as `npm start` runs it) or, when the database must be reachable through a proxy (an outage),
 * by PGlite's socket server in a helper process.
 */
export async function createCoordinatorDatabase(options: {
  readonly dir: string;
  readonly behindProxy: boolean;
}): Promise<CoordinatorDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return scratchPostgres(serverUrl);
  return options.behindProxy ? pgliteServerOnDisk(options.dir) : embeddedPgliteOnDisk(options.dir);
}
