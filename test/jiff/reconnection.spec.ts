import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectAll,
  freeAll,
  openText,
  startServer,
  type TestServer,
  until,
} from './support/jiff-harness.js';

vi.spyOn(console, 'log').mockImplementation(() => undefined);

describe('reconnection mid-computation', { timeout: 30_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    // Mounted on its own socket.io path, as the coordinator does (docs/jiff.md).
    server = await startServer({}, '/jiff/socket.io');
  });
  afterAll(async () => {
    await server.close();
  });

  const party = (id: number) => (p: { partyId: number }) => p.partyId === id;

  it('replays the mailbox of a party whose socket dropped, and the computation completes', async () => {
    const credentials = server.register('reconnect-1', 3);
    const clients = await connectAll(server, 'reconnect-1', credentials);
    const describe3 = () => server.core.describeComputation('reconnect-1')!;

    // A first round completes with everybody online.
    const first = await Promise.all(
      clients.map((c, i) => {
        const x = c.share([3, 4, 5][i]);
        return openText(c, x[1].smult(x[2]).sadd(x[3]));
      }),
    );
    expect(first).toEqual(['17', '17', '17']);

    // Party 3's transport drops; it stays offline until the others have written to its mailbox.
    const dropped = clients[2];
    dropped.socket.io.reconnection(false);
    dropped.socket.io.engine.close();
    await until(() => !describe3().parties.find(party(3))!.connected, 'server sees party 3 gone');

    // Second round: every party runs the program; party 3's outgoing messages wait in its own
    // client mailbox, the others' messages to it wait in the server mailbox.
    const second = clients.map((c, i) => {
      const x = c.share([10, 20, 30][i]);
      return Promise.all([openText(c, x[1].sadd(x[2]).sadd(x[3])), openText(c, x[2].smult(x[3]))]);
    });
    await until(
      () => describe3().parties.find(party(3))!.pendingMessages >= 2,
      'messages queued for party 3',
    );

    // Back online with the same id, credential and key: the mailbox is replayed.
    dropped.socket.io.reconnection(true);
    dropped.socket.connect();
    expect(await Promise.all(second)).toEqual([
      ['60', '600'],
      ['60', '600'],
      ['60', '600'],
    ]);
    await freeAll(clients);
  });
});
