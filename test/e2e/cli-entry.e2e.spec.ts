import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';

/**
 * `npx concord …` after `npm run build`: package.json's `bin` names a built file that starts with
 * a node shebang, and the CLI answers --version (package.json's) and --help.
 */
describe('the concord command', () => {
  const root = repoRoot();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    bin: Record<string, string>;
  };
  const entry = join(root, manifest.bin.concord);

  it('is a bin entry pointing at the built CLI, which starts with a node shebang', () => {
    expect(manifest.bin.concord).toBe('dist/apps/agency-node/src/cli/main.js');
    expect(existsSync(entry), `${entry} is missing: run npm run build first`).toBe(true);
    expect(readFileSync(entry, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('prints the package version for --version and its commands for --help', () => {
    for (const flag of ['--version', '-V']) {
      const version = spawnSync(process.execPath, [entry, flag], { encoding: 'utf8' });
      expect([version.status, version.stdout.trim()]).toEqual([0, manifest.version]);
    }
    const help = spawnSync(process.execPath, [entry, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const command of ['node', 'keys', 'audit', 'demo', 'start'])
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('runs concord synth again with huge pages for malloc when started without them, and passes its exit code on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-synth-rerun-'));
    try {
      // Every process that starts records its GLIBC_TUNABLES (a preload passed on to the rerun).
      const log = join(dir, 'starts.log');
      const preload = join(dir, 'record-start.cjs');
      writeFileSync(
        preload,
        `require('node:fs').appendFileSync(${JSON.stringify(log)}, (process.env.GLIBC_TUNABLES ?? '-') + '\\n');`,
      );
      const run = (args: string[], tunables?: string) => {
        rmSync(log, { force: true });
        const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${preload}` };
        delete env.GLIBC_TUNABLES;
        if (tunables !== undefined) env.GLIBC_TUNABLES = tunables;
        const r = spawnSync(process.execPath, [entry, 'synth', ...args], { encoding: 'utf8', env });
        return {
          status: r.status,
          stdout: r.stdout,
          stderr: r.stderr,
          starts: readFileSync(log, 'utf8').trim().split('\n'),
        };
      };
      const out = join(dir, 'city');
      const made = run(['--scale', 'small', '--out', out]);
      expect(made.status).toBe(0);
      expect(made.starts).toEqual(['-', 'glibc.malloc.hugetlb=1']);
      expect(existsSync(join(out, 'manifest.json'))).toBe(true);

      // An operator's own choice stands: no rerun.
      const kept = run(
        ['--scale', 'small', '--out', join(dir, 'city-2')],
        'glibc.malloc.hugetlb=0',
      );
      expect([kept.status, kept.starts]).toEqual([0, ['glibc.malloc.hugetlb=0']]);

      // The rerun's failure is the command's: its message once, its exit code.
      const refused = run(['--scale', 'huge', '--out', join(dir, 'city-3')]);
      expect(refused.status).toBe(1);
      expect(refused.stderr.match(/--scale must be one of/g)).toHaveLength(1);
      expect(refused.starts).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
