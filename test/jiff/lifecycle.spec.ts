import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer, until } from './support/jiff-harness.js';
import { fakePublicKey, type RawClient, rawClient } from './support/raw-client.js';

describe('computation lifecycle through the adapter', () => {
  let server: TestServer;
  const raws: RawClient[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    for (const raw of raws) raw.close();
    await server.close();
  });

  const join = async (computationId: string, credential: string): Promise<RawClient> => {
    const raw = await rawClient(server.url);
    raws.push(raw);
    raw.fire(
      'initialization',
      JSON.stringify({
        computation_id: computationId,
        party_id: 1,
        public_key: fakePublicKey(1),
        credential,
      }),
    );
    await raw.next('initialization');
    return raw;
  };

  it('sweeps an expired computation: its clients get a typed error and are disconnected', async () => {
    const expiresAt = Date.now() + 100;
    server.core.registerComputation({
      computationId: 'short-lived',
      partyCount: 2,
      expiresAt,
      verifyCredential: (_id, credential) => credential === 'ok',
    });
    const raw = await join('short-lived', 'ok');
    const gone = new Promise((resolve) => raw.socket.once('disconnect', resolve));
    await until(() => Date.now() > expiresAt, 'expiry');
    server.binding.sweep();
    expect(await raw.nextError()).toMatchObject({
      label: 'computation',
      code: 'computation-expired',
    });
    await gone;
    expect(server.core.describeComputation('short-lived')).toBeUndefined();
  });

  it('withdraws a computation on the host’s request', async () => {
    const credentials = server.register('withdrawn', 2);
    const raw = await join('withdrawn', credentials[0]);
    const gone = new Promise((resolve) => raw.socket.once('disconnect', resolve));
    server.binding.removeComputation('withdrawn');
    expect(await raw.nextError()).toMatchObject({ code: 'unknown-computation' });
    await gone;
  });
});
