import type { JIFFClient } from 'jiff-mpc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectAll,
  freeAll,
  openText,
  startServer,
  type TestServer,
} from './support/jiff-harness.js';

vi.spyOn(console, 'log').mockImplementation(() => undefined);

/** The base client's default prime. */
const ZP = 16777729;
/** 2^26 > Zp: the sampled values do not fit in Zp, but they are dealt (and used) as bits. */
const UPPER = 2 ** 26;
const LOWER = 1000;
const SAMPLES = 4;

/** Samples, then opens every bit of every sample and reassembles the values outside Zp. */
async function program(client: JIFFClient): Promise<number[]> {
  const samples = Array.from({ length: SAMPLES }, () =>
    client.protocols.bits.rejection_sampling(LOWER, UPPER),
  );
  return Promise.all(
    samples.map(async (bits) => {
      const opened = await Promise.all(bits.map((bit) => openText(client, bit)));
      expect(opened.every((b) => b === '0' || b === '1')).toBe(true);
      return opened.reduce((value, bit, i) => value + Number(bit) * 2 ** i, 0);
    }),
  );
}

/**
 * JIFF's rejection sampling with the crypto provider asks the dealer for the bits of one number
 * in [lower, upper), with `bitLength` the bit size of `upper`. The stock server deals it for any
 * upper bound; so must Concord, or the clients wait for the shares forever.
 */
describe('rejection sampling with an upper bound above Zp', { timeout: 30_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('deals the bits of values in [lower, upper) and the stock clients finish', async () => {
    const credentials = server.register('sampling-1', 3);
    const clients = await connectAll(server, 'sampling-1', credentials);
    expect(clients[0].Zp).toBe(ZP);
    const results = await Promise.all(clients.map(program));
    for (const r of results) expect(r).toEqual(results[0]);
    for (const value of results[0]) {
      expect(value).toBeGreaterThanOrEqual(LOWER);
      expect(value).toBeLessThan(UPPER);
    }
    await freeAll(clients);
  });
});
