import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dayWorkerUrl } from './day-worker-script.js';
import { writeCityStreamParallel } from './write-city-parallel.js';
import { writeCityStream } from './write-city-stream.js';

const root = mkdtempSync(join(tmpdir(), 'synth-parallel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The workers run the built script: `npm run build` first (as for the JIFF worker's tests).
describe('writeCityStreamParallel', () => {
  it('finds the built day worker', () => {
    expect(dayWorkerUrl()?.href).toMatch(/\/dist\/libs\/synth\/src\/day-worker\.js$/);
  });

  it('writes the bytes writeCityStream writes, over weekdays and a weekend, in date order', async () => {
    // 9 days from Tuesday 2026-03-10: the weekend's profile pilots run on its first Saturday and
    // Sunday, which the second worker reaches without having simulated them.
    const options = { seed: 11, scale: 'small' as const, days: 9, shards: 2 };
    const days: string[] = [];
    const sequential = writeCityStream(options, join(root, 'one-thread'));
    const parallel = await writeCityStreamParallel(
      options,
      join(root, 'workers'),
      { onDay: (date, index) => days.push(`${index}:${date}`) },
      2,
    );
    expect(parallel).toEqual(sequential);
    expect(days).toEqual(sequential.serviceDates.map((date, i) => `${i}:${date}`));
    for (const file of ['payments/fare_transactions.csv', 'transit/board_alight.txt']) {
      expect(readFileSync(join(root, 'workers', file))).toEqual(
        readFileSync(join(root, 'one-thread', file)),
      );
    }
  });
});
