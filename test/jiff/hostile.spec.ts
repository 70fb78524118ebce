import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectAll,
  freeAll,
  openText,
  P61,
  startServer,
  type TestServer,
  until,
} from './support/jiff-harness.js';
import { fakePublicKey, type RawClient, rawClient } from './support/raw-client.js';
import type { JiffAdapterEvent } from '../../apps/coordinator/src/jiff/jiff-socket.adapter.js';

vi.spyOn(console, 'log').mockImplementation(() => undefined);

const init = (fields: Record<string, unknown>): string =>
  JSON.stringify({ public_key: fakePublicKey(1), ...fields });

describe('hostile clients', { timeout: 30_000 }, () => {
  let server: TestServer;
  const raws: RawClient[] = [];
  const connect = async (): Promise<RawClient> => {
    const raw = await rawClient(server.url);
    raws.push(raw);
    return raw;
  };

  const reported: JiffAdapterEvent[] = [];
  beforeAll(async () => {
    // The host's logger throws on every call: the adapter must contain that too.
    server = await startServer({ maxErrorsPerSocket: 60 }, undefined, (event) => {
      reported.push(event);
      throw new Error('logger down');
    });
  });
  afterAll(async () => {
    for (const raw of raws) raw.close();
    await server.close();
  });

  it('answers every malformed or unauthorised frame with a typed error while an honest computation completes', async () => {
    const honestCredentials = server.register('honest-1', 3);
    const hostileCredentials = server.register('hostile-1', 2);
    const honestClients = connectAll(server, 'honest-1', honestCredentials);
    const honest = honestClients.then((clients) =>
      Promise.all(
        clients.map((c, i) => {
          const x = c.share([100, 250, 75][i]);
          return Promise.all([
            openText(c, x[1].sadd(x[2]).sadd(x[3])),
            openText(c, x[1].smult(x[3])),
            openText(c, x[3].slt(x[1])),
          ]);
        }),
      ).then(async (results) => {
        await freeAll(clients);
        return results;
      }),
    );

    const raw = await connect();
    const expectError = async (label: string, code: string): Promise<void> => {
      expect(await raw.nextError()).toMatchObject({ label, code });
    };

    // Out of order: computation events before initialization.
    expect(await raw.send('share', JSON.stringify({ party_id: 1, share: 'x', op_id: 'a' }))).toBe(
      false,
    );
    await expectError('share', 'not-initialized');
    expect(await raw.send('crypto_provider', '{}')).toBe(false);
    await expectError('crypto_provider', 'not-initialized');
    expect(await raw.send('free', '{}')).toBe(false);
    await expectError('free', 'not-initialized');

    // Malformed frames.
    raw.fire('initialization', '{"computation_id": ');
    await expectError('initialization', 'invalid-json');
    raw.fire('initialization', { computation_id: 'honest-1' });
    await expectError('initialization', 'invalid-payload');
    raw.fire('initialization', 42);
    await expectError('initialization', 'invalid-payload');
    raw.fire('initialization');
    await expectError('initialization', 'invalid-payload');
    raw.fire('initialization', 'null');
    await expectError('initialization', 'invalid-payload');
    raw.fire('initialization', '[1,2,3]');
    await expectError('initialization', 'invalid-payload');
    raw.fire('initialization', init({ computation_id: 'honest-1' }), 'second argument');
    await expectError('initialization', 'invalid-payload');
    raw.fire('initialization', Buffer.from('{"computation_id":"honest-1"}'));
    await expectError('initialization', 'invalid-payload');
    raw.fire('initialization', 'x'.repeat(100_000));
    await expectError('initialization', 'payload-too-large');
    raw.fire('initialization', `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    await expectError('initialization', 'payload-too-large');
    expect(await raw.send('bogus', '{}')).toBe(false);
    await expectError('bogus', 'unknown-event');
    expect(await raw.send('<script>', '{}')).toBe(false);
    await expectError('unknown', 'unknown-event');

    // Unregistered computation, wrong or missing credentials, spoofed and reserved ids.
    raw.fire(
      'initialization',
      init({ computation_id: 'never-issued', party_id: 1, credential: 'x' }),
    );
    await expectError('initialization', 'unknown-computation');
    raw.fire('initialization', init({ computation_id: 'honest-1', party_id: 1 }));
    await expectError('initialization', 'invalid-credential');
    raw.fire(
      'initialization',
      init({ computation_id: 'honest-1', party_id: 1, credential: 'guess' }),
    );
    await expectError('initialization', 'invalid-credential');
    raw.fire('initialization', init({ computation_id: 'honest-1', credential: 'guess' }));
    await expectError('initialization', 'invalid-credential');
    raw.fire(
      'initialization',
      init({ computation_id: 'honest-1', party_id: 2, credential: honestCredentials[0] }),
    );
    await expectError('initialization', 'invalid-credential');
    raw.fire(
      'initialization',
      init({ computation_id: 'honest-1', party_id: 's1', credential: 'x' }),
    );
    await expectError('initialization', 'reserved-party-id');
    raw.fire('initialization', init({ computation_id: 'honest-1', party_id: 7, credential: 'x' }));
    await expectError('initialization', 'invalid-party-id');
    raw.fire(
      'initialization',
      init({ computation_id: 'honest-1', party_id: 1, party_count: 9, credential: 'x' }),
    );
    await expectError('initialization', 'party-count-mismatch');
    raw.fire(
      'initialization',
      init({ computation_id: 'honest-1', party_id: 1, public_key: '[1,2]', credential: 'x' }),
    );
    await expectError('initialization', 'invalid-public-key');

    // The hostile party joins its own computation legitimately ("1" normalises to 1).
    const peer = await connect();
    raw.fire(
      'initialization',
      init({ computation_id: 'hostile-1', party_id: '1', credential: hostileCredentials[0] }),
    );
    expect(await raw.next('initialization')).toMatchObject({ party_id: 1, party_count: 2 });
    peer.fire(
      'initialization',
      init({
        computation_id: 'hostile-1',
        party_id: 2,
        credential: hostileCredentials[1],
        public_key: fakePublicKey(2),
      }),
    );
    expect(await peer.next('initialization')).toMatchObject({ party_id: 2 });

    // A second socket cannot take a connected party, even with the right credential.
    const thief = await connect();
    thief.fire(
      'initialization',
      init({
        computation_id: 'hostile-1',
        party_id: 2,
        credential: hostileCredentials[1],
        public_key: fakePublicKey(2),
      }),
    );
    expect(await thief.nextError()).toMatchObject({ code: 'party-already-connected' });
    raw.fire(
      'initialization',
      init({ computation_id: 'honest-1', party_id: 1, credential: honestCredentials[0] }),
    );
    await expectError('initialization', 'socket-already-initialized');

    // Relay: the sender is rewritten, receivers are checked.
    const spoof = { party_id: 2, share: 'opaque', op_id: 'share:1', sender: 2, from: 2 };
    expect(await raw.send('share', JSON.stringify(spoof))).toBe(true);
    expect(await peer.next('share')).toMatchObject({
      party_id: 1,
      share: 'opaque',
      op_id: 'share:1',
    });
    expect(await raw.send('share', JSON.stringify({ ...spoof, party_id: 99 }))).toBe(false);
    await expectError('share', 'invalid-receiver');
    expect(await raw.send('share', JSON.stringify({ ...spoof, party_id: 1 }))).toBe(false);
    await expectError('share', 'invalid-receiver');
    expect(await raw.send('open', JSON.stringify({ ...spoof, Zp: 2 ** 60 }))).toBe(false);
    await expectError('open', 'invalid-zp');
    expect(
      await raw.send('custom', JSON.stringify({ party_id: 2, tag: 't', message: { nope: 1 } })),
    ).toBe(false);
    await expectError('custom', 'invalid-payload');

    // Dealer: labels, counts, receivers, Zp.
    const request = (fields: Record<string, unknown>): string =>
      JSON.stringify({
        label: 'numbers',
        op_id: 'op',
        receivers: [1, 2],
        threshold: 2,
        Zp: 16777729,
        params: { count: 1 },
        ...fields,
      });
    const refused: [Record<string, unknown>, string][] = [
      [{ label: 'nuke' }, 'unknown-crypto-label'],
      [{ label: 'constructor' }, 'unknown-crypto-label'],
      [{ params: { count: 1e9 } }, 'limit-exceeded'],
      [{ params: { count: 1, bitLength: 1e6 } }, 'limit-exceeded'],
      [{ receivers: [2] }, 'not-a-receiver'],
      [{ receivers: [1, 1] }, 'invalid-params'],
      [{ threshold: 3 }, 'invalid-params'],
      [{ Zp: 2 ** 52 }, 'invalid-zp'],
      [{ Zp: '1'.repeat(400) }, 'invalid-zp'],
      [{ Zp: '16777728' }, 'invalid-zp'],
      [{ Zp: 'NaN' }, 'invalid-zp'],
      [{ params: { count: 1, min: 5, max: 5 } }, 'invalid-params'],
      [{ params: { count: 1, max: 1024, bitLength: 4 } }, 'invalid-params'],
      [{ label: 'quotient', params: { constant: 0 } }, 'invalid-params'],
    ];
    for (const [fields, code] of refused) {
      expect(await raw.send('crypto_provider', request(fields))).toBe(false);
      await expectError('crypto_provider', code);
    }

    // Honest dealer answers mirror the request's number type.
    expect(await raw.send('crypto_provider', request({ op_id: 'n1' }))).toBe(true);
    const asNumbers = await raw.next('crypto_provider');
    expect(asNumbers).toMatchObject({ op_id: 'n1', Zp: 16777729 });
    expect(typeof (asNumbers.shares as unknown[])[0]).toBe('number');
    expect(
      await raw.send('crypto_provider', request({ op_id: 'n2', Zp: P61, label: 'triplet' })),
    ).toBe(true);
    const asStrings = await raw.next('crypto_provider');
    expect(asStrings).toMatchObject({ op_id: 'n2', Zp: P61 });
    expect(
      (asStrings.shares as unknown[]).every((s) => typeof s === 'string' && /^[0-9]+$/.test(s)),
    ).toBe(true);
    expect(
      await raw.send(
        'crypto_provider',
        request({ op_id: 'n2', Zp: P61, label: 'quotient', params: { constant: 3 } }),
      ),
    ).toBe(false);
    await expectError('crypto_provider', 'dealer-mismatch');

    // Frames beyond socket.io's own buffer limit only cost the sender its connection.
    const big = await connect();
    const closed = new Promise((resolve) => big.socket.once('disconnect', resolve));
    big.fire('initialization', 'x'.repeat(2 * 1024 * 1024));
    await closed;

    // The honest computation was never disturbed.
    expect(await honest).toEqual([
      ['425', '7500', '1'],
      ['425', '7500', '1'],
      ['425', '7500', '1'],
    ]);
    await until(
      () => server.core.describeComputation('honest-1') === undefined,
      'honest state freed',
    );
    const refusals = reported.flatMap((e) =>
      e.type === 'refused' ? [`${e.event}:${e.code}`] : [],
    );
    expect(refusals).toContain('initialization:invalid-json');
    expect(refusals).toContain('unknown:unknown-event');
    expect(refusals).toContain('crypto_provider:not-a-receiver');
  });

  it('disconnects a socket that keeps sending invalid events', async () => {
    const flooder = await connect();
    const gone = new Promise((resolve) => flooder.socket.once('disconnect', resolve));
    for (let i = 0; i < 61; i += 1) flooder.fire('share', 'not json');
    await gone;
    const codes = new Set<string>();
    for (let i = 0; i < 62; i += 1) codes.add((await flooder.nextError()).code);
    expect(codes).toEqual(new Set(['not-initialized', 'too-many-errors']));
    // And the server still accepts connections.
    const next = await connect();
    expect(next.socket.connected).toBe(true);
  });
});
