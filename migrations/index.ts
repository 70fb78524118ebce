import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795693563994 } from './1795693563994-initial-schema.js';
import { ApiTokens1795696987338 } from './1795696987338-api-tokens.js';
import { ResultsValuesAsText1795700000000 } from './1795700000000-results-values-as-text.js';
import { LedgerXi1795705627437 } from './1795705627437-ledger-xi.js';
import { ResultsValuesUncompressed1795708746644 } from './1795708746644-results-values-uncompressed.js';
import { RequestIdsPerAnalyst1796402193630 } from './1796402193630-request-ids-per-analyst.js';
import { SessionAdmission1796500000000 } from './1796500000000-session-admission.js';
import { AgencyKeyHistory1796600000000 } from './1796600000000-agency-key-history.js';
import { TokenExpiry1796700000000 } from './1796700000000-token-expiry.js';
import { ResultsValuesAsLimbs1796800000000 } from './1796800000000-results-values-as-limbs.js';

/** Every migration, in order. Listed explicitly so tsc output, Vitest and the CLI agree. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  InitialSchema1795693563994,
  ApiTokens1795696987338,
  ResultsValuesAsText1795700000000,
  LedgerXi1795705627437,
  ResultsValuesUncompressed1795708746644,
  RequestIdsPerAnalyst1796402193630,
  SessionAdmission1796500000000,
  AgencyKeyHistory1796600000000,
  TokenExpiry1796700000000,
  ResultsValuesAsLimbs1796800000000,
];
