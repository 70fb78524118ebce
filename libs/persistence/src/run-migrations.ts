import { DataSource, MigrationExecutor } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

/**
 * The PostgreSQL advisory-lock key (a bigint) every Concord coordinator takes around its
 * migrations: "concordm" in ASCII, so no other application is likely to pick it.
 */
export const MIGRATION_LOCK_KEY = '7165066905520333933';

/**
 * Applies pending migrations, one coordinator at a time. TypeORM takes no lock of its own: two
 * replicas starting together on an empty database would both see every migration pending and
 * both run them (one fails halfway, on "already exists"). Here each holds a session-level
 * advisory lock on the one connection the migrations run on; the second waits for the first,
 * then finds nothing pending. Each migration still runs in its own transaction. Returns the
 * names of the migrations this call applied.
 */
export async function runPendingMigrations(url: string): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 1 }));
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(ds, runner);
      executor.transaction = 'each';
      return (await executor.executePendingMigrations()).map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
