import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

/**
 * Key rotation's migration on a database that already holds agencies: each agency's one pinned
 * key becomes its key history's epoch 0, valid from the beginning.
 */
describe('the agency key history migration', () => {
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

  it('turns each pinned key into epoch 0 of its agency', async () => {
    await ds.runMigrations({ transaction: 'each' });
    const last = async (): Promise<string> =>
      (
        await ds.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')
      )[0].name;
    // Back to just before this migration (later ones, if any, undone first).
    while ((await last()) !== 'AgencyKeyHistory1796600000000')
      await ds.undoLastMigration({ transaction: 'each' });
    await ds.undoLastMigration({ transaction: 'each' });
    const key = 'ab'.repeat(32);
    await ds.query(
      `INSERT INTO agencies (id, name, role, party_index, identity_public_key) VALUES ('metro-transit', 'Metro', 'transit', 1, decode($1, 'hex'))`,
      [key],
    );
    await ds.runMigrations({ transaction: 'each' });
    const rows = await ds.query<{ key_history: unknown }[]>(
      `SELECT key_history FROM agencies WHERE id = 'metro-transit'`,
    );
    expect(rows).toEqual([{ key_history: [{ epoch: 0, publicKey: key, validFrom: null }] }]);
  }, 60_000);
});
