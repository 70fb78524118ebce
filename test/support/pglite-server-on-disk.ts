import pg from 'pg';
import { join } from 'node:path';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import type { CoordinatorDatabase, Sql } from './coordinator-database.js';
import { ManagedProcess } from './managed-process.js';

/**
 * PGlite on disk behind its own socket server (`pglite-server` from @electric-sql/pglite-socket)
 * in a helper process, so the coordinator reaches it over TCP like a PostgreSQL server, and a
 * proxy in between can take it away. The server takes one client at a time: the coordinator runs
 * with DATABASE_POOL_SIZE=1, and `run` (a client of the test's own) is exclusive.
 */
export async function pgliteServerOnDisk(dir: string): Promise<CoordinatorDatabase> {
  const port = await freePort();
  const server = ManagedProcess.spawn(
    'pglite server',
    join(repoRoot(), 'node_modules/@electric-sql/pglite-socket/dist/scripts/server.js'),
    ['--db', join(dir, 'pglite-server-data'), '--port', String(port), '--max-connections', '1'],
    {},
  );
  await server.waitForOutput('PGLiteSocketServer listening', 60_000);
  const urlAt = (p: number): string =>
    `postgresql://postgres:postgres@127.0.0.1:${p}/postgres?sslmode=disable`;
  return {
    kind: 'pglite',
    port,
    exclusive: true,
    coordinatorEnv: (viaPort) => ({
      DATABASE_URL: urlAt(viaPort ?? port),
      DATABASE_POOL_SIZE: '1',
    }),
    async run(work) {
      const client = await connectWhenFree(urlAt(port), server);
      try {
        const sql: Sql = async <Row extends object>(text: string, params?: readonly unknown[]) =>
          (await client.query(text, params ? [...params] : [])).rows as Row[];
        return await work(sql);
      } finally {
        await client.end();
      }
    },
    async dispose() {
      await server.kill('SIGTERM');
    },
  };
}

/**
 * Connects once the server's one client slot is free: the coordinator's connection may close a
 * moment after the coordinator exits, and until then the server turns a new client away.
 */
async function connectWhenFree(url: string, server: ManagedProcess): Promise<pg.Client> {
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return client;
    } catch (e) {
      await client.end().catch(() => undefined);
      if (attempt === 50 || !server.alive)
        throw new Error(`cannot connect to the PGlite server: ${String(e)}\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
