import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
});
