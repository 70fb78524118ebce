import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateCity, writeCity } from '#concord/synth';
import { synthCommand } from '../src/cli/synth-command.js';

const root = mkdtempSync(join(tmpdir(), 'concord-synth-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('concord synth', () => {
  let stdout: string[];
  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes the same city as writeCity for one day of small, and says what it wrote', async () => {
    const manifest = await synthCommand({ scale: 'small', out: join(root, 'cli'), seed: '9' });
    expect(manifest).toEqual(
      writeCity(generateCity({ seed: 9, scale: 'small' }), join(root, 'lib')),
    );
    expect(JSON.parse(readFileSync(join(root, 'cli', 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(stdout.join('')).toMatch(
      /^wrote a small city \(seed 9, 1 service day\(s\) from 20260310\)/,
    );
  });

  it('streams several days into the same files', async () => {
    const manifest = await synthCommand({
      scale: 'small',
      out: join(root, 'days'),
      seed: '9',
      days: '2',
    });
    expect(manifest.serviceDates).toEqual(['20260310', '20260311']);
    expect(manifest.files['public/zones.csv'].rows).toBe(6);
  });

  it('refuses bad options and a directory that already holds files', async () => {
    const out = join(root, 'bad');
    await expect(synthCommand({ scale: 'huge', out, seed: '1' })).rejects.toThrow(
      '--scale must be one of',
    );
    await expect(synthCommand({ scale: 'small', out, seed: 'x' })).rejects.toThrow('--seed');
    await expect(synthCommand({ scale: 'small', out, seed: '1', days: '0' })).rejects.toThrow(
      '--days',
    );
    await expect(
      synthCommand({ scale: 'small', out: join(root, 'cli'), seed: '1' }),
    ).rejects.toThrow('is not empty');
  });
});
