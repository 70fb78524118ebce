import type { JIFFClient } from 'jiff-mpc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectAll,
  freeAll,
  openText,
  startServer,
  type TestServer,
  until,
} from './support/jiff-harness.js';

// Stock clients log every connection to the console; keep test output readable.
vi.spyOn(console, 'log').mockImplementation(() => undefined);

/** The same program at every party, as JIFF requires (op ids come from call order). */
async function program(client: JIFFClient, input: number): Promise<Record<string, string>> {
  const x = client.share(input);
  const sum = x[1].sadd(x[2]).sadd(x[3]);
  const [total, product, triple, less, quotient] = await Promise.all([
    openText(client, sum),
    openText(client, x[1].smult(x[2])),
    openText(client, x[1].smult(x[2]).smult(x[3])),
    openText(client, x[3].slt(x[2])),
    openText(client, sum.cdiv(7)),
  ]);
  return { total, product, triple, less, quotient };
}

describe('stock jiff-mpc clients against Concord', { timeout: 30_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('computes sums, Beaver products, comparisons and constant division for three agencies', async () => {
    const credentials = server.register('arith-1', 3);
    const clients = await connectAll(server, 'arith-1', credentials);
    const inputs = [12, 30, 7];
    const results = await Promise.all(clients.map((c, i) => program(c, inputs[i])));
    for (const r of results) {
      expect(r).toEqual({
        total: '49',
        product: '360',
        triple: '2520',
        less: '1',
        quotient: '7',
      });
    }
    await freeAll(clients);
    await until(
      () => server.core.describeComputation('arith-1') === undefined,
      'state dropped after free',
    );
  });

  it('relays custom messages, encrypted and plain, with the sender rewritten by the server', async () => {
    const credentials = server.register('custom-1', 3);
    const clients = await connectAll(server, 'custom-1', credentials);
    const received = clients.map(() => [] as string[]);
    clients.forEach((c, i) =>
      c.listen('hello', (sender, message) => received[i].push(`${sender}:${message}`)),
    );
    clients.forEach((c) => c.emit('hello', null, `from ${c.id}`));
    clients[0].emit('hello', [3], 'plain to 3', false);
    await until(() => received.every((r, i) => r.length === (i === 2 ? 4 : 3)), 'custom messages');
    expect(received[0].sort()).toEqual(['1:from 1', '2:from 2', '3:from 3']);
    expect(received[1].sort()).toEqual(['1:from 1', '2:from 2', '3:from 3']);
    expect(received[2].sort()).toEqual(['1:from 1', '1:plain to 3', '2:from 2', '3:from 3']);
    await freeAll(clients);
  });

  it('lets clients that omit party_id take the roster slot their credential belongs to', async () => {
    const credentials = server.register('roster-1', 2);
    const { connectParty } = await import('./support/jiff-harness.js');
    const second = connectParty(server, 'roster-1', { partyCount: 2, credential: credentials[1] });
    const first = connectParty(server, 'roster-1', { partyCount: 2, credential: credentials[0] });
    const clients = await Promise.all([first, second]);
    expect(clients.map((c) => c.id)).toEqual([1, 2]);
    const sums = await Promise.all(
      clients.map((c, i) => {
        const x = c.share(i === 0 ? 5 : 6);
        return openText(c, x[1].sadd(x[2]));
      }),
    );
    expect(sums).toEqual(['11', '11']);
    await freeAll(clients);
  });
});
