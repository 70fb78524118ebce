import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { PgMessageFramer } from './pg-message-framer.js';
import { readWholeMessages } from './whole-message-reads.js';

describe('the embedded database reads whole messages', () => {
  let db: EmbeddedPostgres;
  let client: pg.Client;
  const push = vi.spyOn(PgMessageFramer.prototype, 'push');

  beforeAll(async () => {
    db = await startEmbeddedPostgres({ mode: 'in-process' });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.stop();
  });

  it('stores and reads back a 6 MB bytea exactly, its Bind message framed from many reads', async () => {
    const value = Buffer.alloc(6_000_000);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31 + (i >> 12)) & 0xff;
    await client.query('CREATE TABLE blobs (id int PRIMARY KEY, body bytea NOT NULL)');
    push.mockClear();
    await client.query('INSERT INTO blobs VALUES (1, $1)', [value]);
    // The parameter went as 6 MB of binary over a socket read at most 64 KiB at a time, and the
    // handler was given the statement's few messages, each whole.
    expect(push.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(value.length / 65_536));
    const whole = push.mock.results.filter((r) => (r.value as Buffer).length > 0);
    expect(whole.length).toBeLessThan(5);
    const { rows } = await client.query<{ body: Buffer }>('SELECT body FROM blobs WHERE id = 1');
    expect(rows[0].body.equals(value)).toBe(true);
    // The connection goes on serving small statements after it.
    const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM blobs');
    expect(count.rows[0].n).toBe('1');
  });

  it('refuses to start against a socket server without the hook it relies on', () => {
    const server = {} as Parameters<typeof readWholeMessages>[0];
    expect(() => readWholeMessages(server)).toThrow(/no longer has handleConnection/);
  });
});
