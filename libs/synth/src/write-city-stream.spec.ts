import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCity } from './city.js';
import { writeCity } from './write-city.js';
import { writeCityStream } from './write-city-stream.js';

const root = mkdtempSync(join(tmpdir(), 'synth-stream-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeCityStream', () => {
  it('writes one day exactly as writeCity does, for the daily and the planning files', () => {
    const inMemory = writeCity(generateCity({ seed: 11, scale: 'small' }), join(root, 'memory'));
    const streamed = writeCityStream({ seed: 11, scale: 'small' }, join(root, 'one-day'));
    expect(streamed.serviceDates).toEqual(inMemory.serviceDates);
    expect(Object.keys(streamed.files)).toEqual(Object.keys(inMemory.files));
    for (const name of [
      'payments/fare_transactions.csv',
      'transit/board_alight.txt',
      'planning/zones.csv',
      'planning/stop_equity.csv',
      'planning/enrolment.csv',
      'public/routes.txt',
      'public/stops.txt',
      'public/zones.csv',
      'public/stop_zone.csv',
    ])
      expect(streamed.files[name], name).toEqual(inMemory.files[name]);
  });

  it('appends every day to the daily files and reports progress per chunk and per day', () => {
    const days: string[] = [];
    const files: string[] = [];
    let rows = 0;
    const dir = join(root, 'two-days');
    const manifest = writeCityStream({ seed: 11, scale: 'small', days: 2, shards: 2 }, dir, {
      onDay: (date, index) => days.push(`${index}:${date}`),
      onRows: (_kind, _date, n) => (rows += n),
      onFile: (relative) => files.push(relative),
    });
    expect(manifest.serviceDates).toEqual(['20260310', '20260311']);
    expect(days).toEqual(['0:20260310', '1:20260311']);
    expect(files.slice(-2)).toEqual(['payments/fare_transactions.csv', 'transit/board_alight.txt']);
    expect(rows).toBe(
      manifest.files['payments/fare_transactions.csv'].rows +
        manifest.files['transit/board_alight.txt'].rows,
    );
    const dates = new Set(
      readFileSync(join(dir, 'payments/fare_transactions.csv'), 'utf8')
        .split('\r\n')
        .slice(1, -1)
        .map((line) => line.split(',')[1]),
    );
    expect([...dates].sort()).toEqual(['20260310', '20260311']);
  });
});
