import pg from 'pg';
import { createScratchDatabase } from '#concord/persistence';
import type { CoordinatorDatabase, Sql } from './coordinator-database.js';

/**
 * A scratch database on the real PostgreSQL (dropped at dispose). The test's client connects
 * directly while the coordinator runs, whatever a proxy in front of the coordinator's link does.
 */
export async function scratchPostgres(serverUrl: string): Promise<CoordinatorDatabase> {
  const scratch = await createScratchDatabase(serverUrl);
  const url = new URL(scratch.url);
  return {
    kind: 'postgres',
    port: Number(url.port || 5432),
    exclusive: false,
    coordinatorEnv(viaPort) {
      const reached = new URL(scratch.url);
      if (viaPort !== undefined) {
        reached.hostname = '127.0.0.1';
        reached.port = String(viaPort);
      }
      return { DATABASE_URL: reached.toString() };
    },
    async run(work) {
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        const sql: Sql = async <Row extends object>(text: string, params?: readonly unknown[]) =>
          (await client.query(text, params ? [...params] : [])).rows as Row[];
        return await work(sql);
      } finally {
        await client.end();
      }
    },
    dispose: () => scratch.drop(),
  };
}
