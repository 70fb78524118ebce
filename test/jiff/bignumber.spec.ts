import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { JIFFClient } from 'jiff-mpc';
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

vi.spyOn(console, 'log').mockImplementation(() => undefined);

const BIGNUMBER_PARTIES = fileURLToPath(new URL('./support/bignumber-parties.js', import.meta.url));

/** Bignumber parties in a child process (see bignumber-parties.js for why). */
function runBignumberParties(config: unknown): Promise<{ results?: string[][]; error?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIGNUMBER_PARTIES, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as { results?: string[][] });
      } catch {
        reject(new Error(`bignumber parties printed no result: ${out}`));
      }
    });
  });
}

async function program(client: JIFFClient, input: number): Promise<string[]> {
  const x = client.share(input);
  return Promise.all([
    openText(client, x[1].sadd(x[2])),
    openText(client, x[1].smult(x[2])),
    openText(client, x[2].slt(x[1])),
  ]);
}

describe('base and bignumber clients on one server', { timeout: 30_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves the default prime (numbers) and 2^61−1 (decimal strings) at the same time', async () => {
    const baseCredentials = server.register('base-1', 2);
    const bigCredentials = server.register('big-1', 2);
    // 2,000,000,011 × 1,000,000,007 < 2^61 − 1 needs exact dealing: doubles would round it.
    const big = runBignumberParties({
      url: server.url,
      computationId: 'big-1',
      zp: P61,
      parties: [
        { partyId: 1, credential: bigCredentials[0], input: '2000000011' },
        { partyId: 2, credential: bigCredentials[1], input: '1000000007' },
      ],
    });
    // Both computations run at once: the base parties start once the bignumber parties are in.
    await until(
      () => server.core.describeComputation('big-1')?.parties.every((p) => p.connected) === true,
      'bignumber parties connected',
    );
    const base = await connectAll(server, 'base-1', baseCredentials);
    const baseResults = await Promise.all(base.map((c, i) => program(c, [4000, 1234][i])));
    await freeAll(base);

    for (const r of baseResults) expect(r).toEqual(['5234', '4936000', '1']);
    const product = (2000000011n * 1000000007n).toString();
    const { results, error } = await big;
    expect(error).toBeUndefined();
    expect(results).toEqual([
      ['3000000018', product, '1'],
      ['3000000018', product, '1'],
    ]);
  });
});
