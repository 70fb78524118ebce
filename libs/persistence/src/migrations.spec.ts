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
    const storage = await ds.query<{ attname: string; attstorage: string }[]>(
      `SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'results'::regclass AND attname IN ('noisy_values', 'noisy_limbs') ORDER BY attname`,
    );
    expect(storage).toEqual([
      { attname: 'noisy_limbs', attstorage: 'e' },
      { attname: 'noisy_values', attstorage: 'e' },
    ]);
    // Exactly one form of values per result row (checked before the session reference is).
    const insert = ([limbs, field, text]: readonly [string, string, string]) =>
      ds.query(
        `INSERT INTO results (session_id, output_name, unit, noisy_limbs, value_field, noisy_values, interval_half_width, confidence_level, noise) VALUES ('00000000-0000-4000-8000-000000000001', 'o', 'count', ${limbs}, ${field}, ${text}, '1', '0.95', '{}')`,
      );
    for (const bad of [
      ['NULL', 'NULL', 'NULL'],
      [`'\\x01000000'`, `'rns31x1'`, `'1'`],
      [`'\\x01000000'`, 'NULL', 'NULL'],
      ['NULL', `'rns31x1'`, `'1'`],
    ] as const)
      await expect(insert(bad)).rejects.toThrow(/chk_results_value_form/);
    for (const good of [
      [`'\\x01000000'`, `'rns31x1'`, 'NULL'],
      ['NULL', 'NULL', `'1'`],
    ] as const)
      await expect(insert(good)).rejects.toThrow(/fk_|foreign key/i);
    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    const tables = await ds.query<unknown[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
    );
    expect(tables).toEqual([]);
  });
});
