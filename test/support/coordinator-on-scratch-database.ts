import { randomBytes } from 'node:crypto';
import { createScratchDatabase } from '#concord/persistence';
import {
  startCoordinatorProcess,
  type Spawned,
} from '../../apps/agency-node/src/demo/processes.js';

export interface CoordinatorOnScratchDatabase {
  /** The coordinator process; the caller stops it (before `dropDatabase`). */
  readonly coordinator: Spawned & { url: string };
  /** The bootstrap admin token it was started with. */
  readonly adminToken: string;
  /** Drops the scratch database (nothing with PGlite in memory). */
  readonly dropDatabase: () => Promise<void>;
}

/**
 * Starts the built coordinator on a scratch database of the real PostgreSQL when DATABASE_URL is
 * set, else on in-memory PGlite, with a fresh bootstrap admin token and quiet logs; `env` adds to
 * or overrides that (PORT, CONSORTIUM_FILE, PUBLIC_DATA_DIR, PROTOCOLS_DIR, …). If the process
 * does not start, the database is dropped before the error is thrown.
 */
export async function startCoordinatorOnScratchDatabase(
  env: NodeJS.ProcessEnv,
): Promise<CoordinatorOnScratchDatabase> {
  const database = process.env.DATABASE_URL
    ? await createScratchDatabase(process.env.DATABASE_URL)
    : undefined;
  const adminToken = randomBytes(24).toString('base64url');
  const dropDatabase = async (): Promise<void> => {
    await database?.drop();
  };
  try {
    const coordinator = await startCoordinatorProcess({
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
      ...(database ? { DATABASE_URL: database.url } : { DATABASE_URL: '', EMBEDDED_DB: 'memory' }),
      ...env,
    });
    return { coordinator, adminToken, dropDatabase };
  } catch (e) {
    await dropDatabase();
    throw e;
  }
}
