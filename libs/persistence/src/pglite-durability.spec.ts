import { PGlite } from '@electric-sql/pglite';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PROBE = resolve('dist/libs/persistence/src/pglite-commit-probe.js');
const STATEMENTS = 4;
const KILL_AFTER = 100;

/**
 * `npm start` keeps the coordinator's data in PGlite on disk, hosted in a worker thread, and the
 * fault suite kills the coordinator with SIGKILL: a commit PGlite acknowledged must survive that.
 * A child process commits numbered transactions (several statements each) the way the
 * coordinator does and reports each after COMMIT returned; it is killed mid-stream, and a fresh
 * PGlite on the same directory must recover every reported commit and no partial transaction.
 *
 * Why it holds (checked with strace, docs/DEVELOPMENT.md "Fault tests"): PGlite starts PostgreSQL
 * with `-F` (fsync off), but with synchronous_commit on the commit record is written with
 * pwrite(2) to the WAL segment before COMMIT returns, and Emscripten's NODEFS passes writes straight
 * to the kernel. A dead process loses nothing the kernel holds; an OS crash or power cut could.
 */
describe('embedded PGlite on disk under kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-pglite-durability-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every commit it acknowledged, and no partial transaction', async () => {
    if (!existsSync(PROBE)) throw new Error(`${PROBE} is missing: run npm run build first`);
    const child = spawn(process.execPath, [PROBE, dir, String(STATEMENTS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killed = new Promise<NodeJS.Signals | null>((done) =>
      child.once('close', (_code, signal) => done(signal)),
    );
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes(`committed ${KILL_AFTER}\n`)) child.kill('SIGKILL');
    });
    // `close` waits for the pipes to drain: every line the child wrote before dying is in stdout.
    const signal = await killed;
    expect(signal, `the probe exited on its own:\n${stdout.slice(-500)}\n${stderr}`).toBe(
      'SIGKILL',
    );
    const reported = Math.max(...[...stdout.matchAll(/committed (\d+)\n/g)].map((m) => +m[1]));
    expect(reported).toBeGreaterThanOrEqual(KILL_AFTER);

    const db = await PGlite.create({ dataDir: dir });
    try {
      const { rows } = await db.query<{ transactions: number; last: number }>(
        'SELECT count(DISTINCT tx)::int AS transactions, max(tx)::int AS last FROM probe',
      );
      // Every reported commit is there; at most the one in flight committed unreported.
      expect(rows[0].last).toBeGreaterThanOrEqual(reported);
      expect(rows[0].last).toBeLessThanOrEqual(reported + 1);
      expect(rows[0].transactions).toBe(rows[0].last);
      const partial = await db.query(
        'SELECT tx, count(*)::int AS statements FROM probe GROUP BY tx HAVING count(*) <> $1',
        [STATEMENTS],
      );
      expect(partial.rows).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
