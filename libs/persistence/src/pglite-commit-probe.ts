import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres.js';

/*
 * Test helper, the child process of pglite-durability.spec.ts (run from dist, never imported):
 * opens PGlite on disk exactly as the coordinator does (worker thread, socket server, `pg`
 * client), then commits numbered transactions of several statements each, forever, and writes
 * `committed <n>` to stdout only after COMMIT has returned. The spec kills it with SIGKILL
 * mid-stream and checks that every reported commit survived and no transaction is partial.
 *
 * Arguments: <dataDir> [statements per transaction] [payload bytes per statement].
 */
const [dataDir, statementsArg = '4', payloadArg = '2048'] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: pglite-commit-probe <dataDir> [statements] [payloadBytes]');
const statements = Number(statementsArg);
const payload = 'x'.repeat(Number(payloadArg));

const embedded = await startEmbeddedPostgres({ dataDir, mode: 'worker' });
const client = new pg.Client({ connectionString: embedded.url });
await client.connect();
await client.query(
  'CREATE TABLE IF NOT EXISTS probe (tx integer NOT NULL, statement integer NOT NULL, payload text NOT NULL, PRIMARY KEY (tx, statement))',
);
const { rows } = await client.query<{ last: number | null }>('SELECT max(tx) AS last FROM probe');
process.stdout.write('ready\n');
for (let tx = (rows[0].last ?? 0) + 1; ; tx++) {
  await client.query('BEGIN');
  for (let s = 1; s <= statements; s++)
    await client.query('INSERT INTO probe (tx, statement, payload) VALUES ($1, $2, $3)', [
      tx,
      s,
      payload,
    ]);
  await client.query('COMMIT');
  process.stdout.write(`committed ${tx}\n`);
}
