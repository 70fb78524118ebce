import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/** A throwaway database for tests and tools, and how to get rid of it. */
export interface ScratchDatabase {
  readonly url: string;
  /** Pool size the URL supports (the embedded server takes one client). */
  readonly poolSize: number;
  drop(): Promise<void>;
}

/**
 * With `serverUrl` (the real PostgreSQL, e.g. CI's DATABASE_URL): creates a fresh database on
 * that server and drops it afterwards, so suites never share tables. Without: an in-memory
 * PGlite on this thread.
 */
export async function createScratchDatabase(
  serverUrl: string | undefined,
): Promise<ScratchDatabase> {
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ mode: 'in-process' });
    return { url: embedded.url, poolSize: 1, drop: () => embedded.stop() };
  }
  const name = `concord_scratch_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    poolSize: 10,
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
