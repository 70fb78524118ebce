import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { jiffWorkerUrl, workerExecArgv } from './jiff-worker-script.js';

describe('the JIFF worker’s script', () => {
  const root = mkdtempSync(join(tmpdir(), 'jiff-worker-url-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, 'package.json'), '{}');
  const source = pathToFileURL(join(root, 'libs/jiff-engine/src/jiff-runner.ts')).href;
  const built = join(root, 'dist/libs/jiff-engine/src/jiff-worker.js');

  it('is next to the built module in dist/', () => {
    const here = pathToFileURL(join(root, 'dist/libs/jiff-engine/src/jiff-runner.js')).href;
    expect(jiffWorkerUrl(here)?.href).toBe(pathToFileURL(built).href);
  });

  it('from the sources, is the built worker at the same path under dist/, once built', () => {
    expect(jiffWorkerUrl(source)).toBeUndefined();
    mkdirSync(join(root, 'dist/libs/jiff-engine/src'), { recursive: true });
    writeFileSync(built, '');
    expect(jiffWorkerUrl(source)?.href).toBe(pathToFileURL(built).href);
  });

  it('runs without the host’s resolution conditions (built code resolves built code)', () => {
    expect(
      workerExecArgv([
        '--require',
        'x.cjs',
        '--conditions',
        'source',
        '--conditions=module',
        '-C',
        'node',
        '--enable-source-maps',
      ]),
    ).toEqual(['--require', 'x.cjs', '--enable-source-maps']);
  });
});
