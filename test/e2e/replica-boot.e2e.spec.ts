import 'reflect-metadata';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgencyEntity,
  createScratchDatabase,
  dataSourceOptions,
  ProtocolVersionEntity,
  type ScratchDatabase,
} from '#concord/persistence';
import { createLocalConsortium } from '../../apps/agency-node/src/demo/local-consortium.js';
import { AgenciesService } from '../../apps/coordinator/src/agencies/agencies.service.js';
import { CatalogueService } from '../../apps/coordinator/src/catalogue/catalogue.service.js';
import { PublicDataService } from '../../apps/coordinator/src/catalogue/public-data.service.js';
import { loadCoordinatorConfig } from '../../apps/coordinator/src/config/coordinator-config.js';

/**
 * Two coordinator replicas booting together on one PostgreSQL database (DATABASE_URL; PGlite
 * takes one client, so it serves one coordinator and the replicas come one after the other):
 * each registers the consortium's agencies and the catalogue's protocol versions. An upsert
 * resolves a conflict on its own key only, so without the registration lock two replicas
 * inserting the same protocol version at once fail on the (protocol, version) index.
 */
describe('coordinator replicas booting together', () => {
  let db: ScratchDatabase;
  let dir: string;
  const sources: DataSource[] = [];

  beforeAll(async () => {
    db = await createScratchDatabase(process.env.DATABASE_URL);
    for (let i = 0; i < (db.poolSize === 1 ? 1 : 2); i++) {
      const ds = new DataSource(dataSourceOptions(db.url, { poolSize: db.poolSize === 1 ? 1 : 2 }));
      await ds.initialize();
      sources.push(ds);
    }
    await sources[0].runMigrations({ transaction: 'each' });
    dir = mkdtempSync(join(tmpdir(), 'concord-replica-boot-'));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('registers the same agencies and protocol versions once, whichever replica comes first', async () => {
    const local = createLocalConsortium({
      dir,
      coordinatorUrl: 'http://127.0.0.1:3000',
      protocolsDir: 'protocols',
      data: { transit: {}, payments: {}, planning: {} },
    });
    const config = loadCoordinatorConfig({
      CONSORTIUM_FILE: local.consortiumFile,
      PUBLIC_DATA_DIR: dir,
      PROTOCOLS_DIR: 'protocols',
    });
    const logger = pino({ level: 'silent' });
    const replica = (ds: DataSource): Promise<[void, void]> =>
      Promise.all([
        new AgenciesService(ds.getRepository(AgencyEntity), config, logger).onModuleInit(),
        new CatalogueService(
          ds.getRepository(ProtocolVersionEntity),
          config,
          new PublicDataService(config),
          logger,
        ).onModuleInit(),
      ]);
    // Several fresh starts: each is a chance for the inserts to meet.
    for (let round = 0; round < 10; round++) {
      await sources[0].query('DELETE FROM protocol_versions');
      await sources[0].query('DELETE FROM agencies');
      if (sources.length === 1) await replica(sources[0]);
      else await Promise.all(sources.map(replica));
      expect(await sources[0].getRepository(ProtocolVersionEntity).count()).toBe(
        readdirSync('protocols').filter((f) => f.endsWith('.json')).length,
      );
      expect(await sources[0].getRepository(AgencyEntity).count()).toBe(3);
    }
  }, 60_000);
});
