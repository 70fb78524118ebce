import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '#migrations';
import { AgencyEntity } from './agency.entity.js';
import { ApiTokenEntity } from './api-token.entity.js';
import { LedgerEntryEntity } from './ledger-entry.entity.js';
import { ProtocolVersionEntity } from './protocol-version.entity.js';
import { ResultEntity } from './result.entity.js';
import { SessionSealEntity } from './session-seal.entity.js';
import { SessionEntity } from './session.entity.js';
import { TranscriptEntryEntity } from './transcript-entry.entity.js';

export const ENTITIES = [
  AgencyEntity,
  ApiTokenEntity,
  ProtocolVersionEntity,
  SessionEntity,
  ResultEntity,
  LedgerEntryEntity,
  TranscriptEntryEntity,
  SessionSealEntity,
];

/**
 * TypeORM options shared by the coordinator and the migration CLI. The schema is owned by
 * migrations only (`synchronize` is off; the app runs pending migrations explicitly at boot).
 * `gen_random_uuid()` is core PostgreSQL since 13 and exists in PGlite, so no extension is
 * installed and the same migrations run on both.
 */
export function dataSourceOptions(
  url: string,
  options: { readonly poolSize?: number } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    // Passed explicitly: TypeORM's own require('pg') does not resolve under ESM test runners.
    driver: pg,
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: { max: options.poolSize ?? 10 },
  };
}
