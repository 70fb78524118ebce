import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtEntry } from '../../apps/agency-node/src/demo/repo-paths.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-config-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a built entry point to its end; what it wrote to stderr, and its exit code. */
function run(which: 'coordinator' | 'cli', args: string[], env: NodeJS.ProcessEnv) {
  const result = spawnSync(process.execPath, [builtEntry(which), ...args], {
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

const coordinatorEnv = {
  CONSORTIUM_FILE: join(dir, 'consortium.json'),
  PUBLIC_DATA_DIR: dir,
  EMBEDDED_DB: 'memory',
};

/**
 * A process started with a setting it cannot use stops before doing anything, with exit code 78
 * (EX_CONFIG) and one line on stderr naming the setting and what it must be: no stack trace, no
 * validator rule, no secret.
 */
describe('configuration errors, from the processes themselves', () => {
  it('the coordinator refuses a PORT that is not a port', () => {
    const { code, stderr, stdout } = run('coordinator', [], { ...coordinatorEnv, PORT: 'abc' });
    expect(code).toBe(78);
    expect(stderr).toBe(
      'configuration error: PORT must be an integer between 0 and 65535 (got "abc")\n',
    );
    expect(stdout).toBe('');
  });

  it('the coordinator refuses a DATABASE_URL of another scheme without quoting its password', () => {
    const { code, stderr } = run('coordinator', [], {
      ...coordinatorEnv,
      DATABASE_URL: 'mysql://concord:hunter2@db.internal/concord',
    });
    expect(code).toBe(78);
    expect(stderr).toBe(
      'configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL (got a URL of scheme "mysql:")\n',
    );
  });

  it('the agency node refuses a configuration file field, naming the field and the file', () => {
    const file = join(dir, 'node.json');
    writeFileSync(
      file,
      JSON.stringify({
        agencyId: 'metro-transit',
        identityKeyFile: 'metro.key',
        consortiumFile: 'consortium.json',
        coordinatorUrl: 'coordinator.internal:3000',
        protocolsDir: 'protocols',
        approvedProtocols: [],
        data: {},
      }),
    );
    const { code, stderr } = run('cli', ['node', '--config', file], {});
    expect(code).toBe(78);
    expect(stderr.split('\n')).toEqual([
      `configuration error: coordinatorUrl in ${file} must be an http:// or https:// URL (got a value that is not a URL)`,
      '',
    ]);
  });

  it('the CLI refuses an option value in the same way', () => {
    const { code, stderr } = run('cli', ['start', '--port', '99999'], {});
    expect(code).toBe(78);
    expect(stderr).toBe(
      'configuration error: --port must be an integer between 0 and 65535 (got "99999")\n',
    );
  });

  it('a node refuses a join worker count that is not one, before it opens its key', () => {
    const file = join(dir, 'workers.node.json');
    writeFileSync(
      file,
      JSON.stringify({
        agencyId: 'metro-transit',
        identityKeyFile: 'no-such.key',
        consortiumFile: 'consortium.json',
        coordinatorUrl: 'http://127.0.0.1:3000',
        protocolsDir: 'protocols',
        approvedProtocols: [],
        data: {},
        atRest: { plaintext: 'demo-only' },
      }),
    );
    const { code, stderr } = run('cli', ['node', '--config', file, '--join-workers', '0'], {});
    expect(code).toBe(78);
    expect(stderr).toBe(
      'configuration error: --join-workers must be an integer from 1 to 256 (got "0")\n',
    );
  });
});
