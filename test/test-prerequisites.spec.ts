import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * `npm test` starts with test/support/test-prerequisites.js: on a machine without Chromium (or
 * PostgreSQL, or Redis) it must stop at once with one line that says what to install.
 */
describe('npm test on a machine that lacks a prerequisite', () => {
  function check(env: NodeJS.ProcessEnv): { status: number | null; lines: string[] } {
    const result = spawnSync(process.execPath, ['test/support/test-prerequisites.js'], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { status: result.status, lines: result.stderr.split('\n').filter((l) => l !== '') };
  }

  it('stops with one line naming apt-get install chromium when Chromium is missing', () => {
    const { status, lines } = check({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm test needs Chromium at \/nonexistent\/chromium/);
    expect(lines[0]).toContain('apt-get install chromium');
  });

  it('names every missing service in the same one line', () => {
    const { status, lines } = check({
      CHROMIUM_PATH: '/nonexistent/chromium',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
      CONCORD_TEST_REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    for (const wanted of [
      'apt-get install chromium',
      'apt-get install postgresql',
      'apt-get install redis-server',
    ])
      expect(lines[0]).toContain(wanted);
  });
});
