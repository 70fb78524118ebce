export { AgencyEntity } from './agency.entity.js';
export { ApiTokenEntity } from './api-token.entity.js';
export { dataSourceOptions, ENTITIES } from './data-source-options.js';
export {
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './embedded-postgres.js';
export { LedgerEntryEntity } from './ledger-entry.entity.js';
export { ProtocolVersionEntity } from './protocol-version.entity.js';
export { ResultEntity } from './result.entity.js';
export { SessionSealEntity } from './session-seal.entity.js';
export { SessionEntity } from './session.entity.js';
export { TranscriptEntryEntity } from './transcript-entry.entity.js';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';
export { MIGRATION_LOCK_KEY, runPendingMigrations } from './run-migrations.js';
export { REGISTRATION_LOCK_KEY, underRegistrationLock } from './registration-lock.js';
