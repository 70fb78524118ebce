import { PGlite } from '@electric-sql/pglite';
import { join } from 'node:path';
import type { CoordinatorDatabase, Sql } from './coordinator-database.js';

/** Runs `work` on a PGlite opened on `dataDir` in this process, closed afterwards. */
export async function onPgliteDirectory<T>(
  dataDir: string,
  work: (sql: Sql) => Promise<T>,
): Promise<T> {
  const db = await PGlite.create({ dataDir });
  try {
    const sql: Sql = async <Row extends object>(text: string, params?: readonly unknown[]) =>
      (await db.query<Row>(text, params ? [...params] : [])).rows;
    return await work(sql);
  } finally {
    await db.close();
  }
}

/**
 * The coordinator's own embedded database, as `npm start` keeps it: PGlite on disk in
 * `<dir>/coordinator-data/pglite`, hosted by the coordinator process (EMBEDDED_DB=disk). The
 * coordinator owns the directory while it runs, so `run` is exclusive: the caller stops it first.
 */
export function embeddedPgliteOnDisk(dir: string): CoordinatorDatabase {
  const dataDir = join(dir, 'coordinator-data');
  return {
    kind: 'pglite',
    port: undefined,
    exclusive: true,
    coordinatorEnv(viaPort) {
      if (viaPort !== undefined)
        throw new Error('the coordinator hosts its embedded database: no proxy can sit in front');
      return { DATABASE_URL: '', EMBEDDED_DB: 'disk', DATA_DIR: dataDir };
    },
    // The coordinator opens resolve(DATA_DIR, 'pglite').
    run: (work) => onPgliteDirectory(join(dataDir, 'pglite'), work),
    dispose: () => Promise.resolve(),
  };
}
