import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Worker } from 'node:worker_threads';
import { readWholeMessages } from './whole-message-reads.js';

/**
 * The embedded database used when no DATABASE_URL is given: PGlite (real PostgreSQL compiled to
 * WebAssembly) behind a PostgreSQL socket, so TypeORM talks to it through the ordinary `pg`
 * driver exactly as it talks to PostgreSQL. The socket is a Unix domain socket in a private
 * temporary directory (mode 0700, removed at stop): only this user can reach it, and a statement
 * costs less than over loopback TCP (docs/performance.md, "Database round trips").
 *
 * Mode `worker` (the coordinator) hosts PGlite in a worker thread, because PGlite runs queries on
 * the thread that owns it and would otherwise stall the event loop that serves agency nodes.
 * Mode `in-process` (tests running from TypeScript sources) keeps it on the calling thread.
 */
export interface EmbeddedPostgres {
  /** A postgres:// URL for `pg`; pool size must stay 1 (the socket server takes one client). */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** A directory that survives restarts; omit for an in-memory database. */
  readonly dataDir?: string;
  readonly mode?: 'worker' | 'in-process';
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  return options.mode === 'in-process'
    ? startInProcess(options.dataDir)
    : startInWorker(options.dataDir);
}

/** The port in the socket's name (no TCP port is opened). */
const SOCKET_PORT = 5432;

/** Starts PGlite and its socket server on this thread (also the worker's entry). */
export async function startInProcess(dataDir?: string): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  // `pg` finds a server's socket as <directory>/.s.PGSQL.<port>.
  const socketDir = mkdtempSync(join(tmpdir(), 'concord-pglite-'));
  const server = new PGLiteSocketServer({
    db,
    path: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
    maxConnections: 1,
  });
  readWholeMessages(server);
  try {
    await server.start();
  } catch (e) {
    rmSync(socketDir, { recursive: true, force: true });
    await db.close();
    throw e;
  }
  return {
    url: `postgresql://postgres:postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDir)}`,
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

function startInWorker(dataDir?: string): Promise<EmbeddedPostgres> {
  const worker = new Worker(new URL('./pglite-worker.js', import.meta.url), {
    workerData: { dataDir },
  });
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void =>
      reject(error instanceof Error ? error : new Error(String(error)));
    worker.once('error', fail);
    worker.once('message', (message: { url?: string; error?: string }) => {
      worker.off('error', fail);
      if (!message.url) {
        reject(
          new Error(`embedded PostgreSQL failed to start: ${message.error ?? 'unknown error'}`),
        );
        return;
      }
      resolve({
        url: message.url,
        stop: () =>
          new Promise<void>((done) => {
            worker.once('exit', () => done());
            worker.postMessage('stop');
          }),
      });
    });
  });
}
