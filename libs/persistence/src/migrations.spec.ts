import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/**
 * The migrations are the schema: on a fresh database (PGlite by default, the real PostgreSQL 15
 * when DATABASE_URL is set) they must run, leave nothing for TypeORM to synchronise, and roll
 * back to an empty schema.
 */
describe('migrations', () => {
  let db: ScratchDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createScratchDatabase(process.env.DATABASE_URL);
    ds = new DataSource(dataSourceOptions(db.url, { poolSize: db.poolSize }));
    await ds.initialize();
  }, 60_000);

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('create exactly the schema the entities describe, and roll back', async () => {
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.length).toBeGreaterThan(0);
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    // What entities cannot say: released values are stored uncompressed (`e`, external).
    const storage = await ds.query<{ attstorage: string }[]>(
      `SELECT attstorage FROM pg_attribute WHERE attrelid = 'results'::regclass AND attname = 'noisy_values'`,
    );
    expect(storage).toEqual([{ attstorage: 'e' }]);
    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables = await ds.query<unknown[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);
  });
});
