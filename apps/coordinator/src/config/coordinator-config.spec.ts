import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '#concord/errors';
import { loadCoordinatorConfig } from './coordinator-config.js';

const required = { CONSORTIUM_FILE: 'consortium.json', PUBLIC_DATA_DIR: 'public' };

describe('coordinator configuration', () => {
  it('pools ten connections to DATABASE_URL unless DATABASE_POOL_SIZE says otherwise', () => {
    expect(loadCoordinatorConfig(required).DATABASE_POOL_SIZE).toBe(10);
    expect(loadCoordinatorConfig({ ...required, DATABASE_POOL_SIZE: '1' }).DATABASE_POOL_SIZE).toBe(
      1,
    );
  });

  it('refuses a pool of no connections or a fraction of one, naming the variable', () => {
    for (const bad of ['0', '1.5', 'ten'])
      expect(() => loadCoordinatorConfig({ ...required, DATABASE_POOL_SIZE: bad })).toThrow(
        /DATABASE_POOL_SIZE/,
      );
  });
});

describe('a refused coordinator configuration', () => {
  const refusal = (env: NodeJS.ProcessEnv): string => {
    try {
      loadCoordinatorConfig({ ...required, ...env });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigurationError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('names the variable and what it must be, with no validator rule name', () => {
    expect(refusal({ PORT: 'abc' })).toBe(
      'configuration error: PORT must be an integer between 0 and 65535 (got "abc")',
    );
    expect(refusal({ LOG_LEVEL: 'loud' })).toBe(
      'configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    );
    expect(() => loadCoordinatorConfig({ CONSORTIUM_FILE: 'c.json' })).toThrow(
      'configuration error: PUBLIC_DATA_DIR must be the public reference data directory (got nothing)',
    );
  });

  it('quotes only the scheme of a refused URL and the length of a refused token', () => {
    const url = refusal({ DATABASE_URL: 'mysql://user:hunter2@db/concord' });
    expect(url).toBe(
      'configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL (got a URL of scheme "mysql:")',
    );
    expect(refusal({ ADMIN_TOKEN: 'short secret' })).toBe(
      'configuration error: ADMIN_TOKEN must be 32 to 200 characters without spaces (got 12 characters)',
    );
    expect(refusal({ REDIS_URL: 'http://user:hunter2@cache:6379' })).not.toContain('hunter2');
  });

  it('takes a redis:// or rediss:// REDIS_URL, and none at all', () => {
    expect(loadCoordinatorConfig(required).REDIS_URL).toBeUndefined();
    for (const url of ['redis://127.0.0.1:6379', 'rediss://:pw@cache.internal:6380/1'])
      expect(loadCoordinatorConfig({ ...required, REDIS_URL: url }).REDIS_URL).toBe(url);
    expect(refusal({ REDIS_URL: 'cache:6379' })).toBe(
      'configuration error: REDIS_URL must be a redis:// or rediss:// URL (got a value that is not a URL)',
    );
  });

  it('reports every refused variable in the same single line', () => {
    const message = refusal({ PORT: '70000', EMBEDDED_DB: 'tape' });
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/EMBEDDED_DB must be disk or memory \(got "tape"\)/);
    expect(message).toMatch(/PORT must be an integer between 0 and 65535 \(got "70000"\)/);
  });
});
