import 'reflect-metadata';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '#migrations';
import { runPendingMigrations } from './run-migrations.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

const ALL = MIGRATIONS.map((m) => m.name);

/**
 * Coordinator replicas starting together on one empty database: PostgreSQL 15 when DATABASE_URL
 * is set (CI). PGlite's server takes a single client, so it can only ever serve one coordinator;
 * there the test checks that one run applies everything under the lock.
 */
describe('runPendingMigrations', () => {
  let db: ScratchDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
    db = undefined;
  });

  async function appliedNames(url: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        'SELECT name FROM migrations ORDER BY id',
      );
      return rows.map((r) => r.name);
    } finally {
      await client.end();
    }
  }

  it('applies every migration exactly once when three replicas start together', async () => {
    db = await createScratchDatabase(process.env.DATABASE_URL);
    const url = db.url;
    if (db.poolSize === 1) {
      expect(await runPendingMigrations(url)).toEqual(ALL);
      return;
    }
    const runs = await Promise.all([1, 2, 3].map(() => runPendingMigrations(url)));
    // One replica applied them all; the others waited for the lock and found nothing pending.
    expect(runs.map((r) => r.length).sort()).toEqual([0, 0, ALL.length]);
    expect(await appliedNames(url)).toEqual(ALL);
    expect(await runPendingMigrations(url)).toEqual([]);
  }, 60_000);
});
