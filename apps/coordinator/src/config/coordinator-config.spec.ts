import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

describe('coordinator transport security', () => {
  const tls = { TLS_CERT_FILE: '/etc/concord/cert.pem', TLS_KEY_FILE: '/etc/concord/key.pem' };

  it('serves plain HTTP on loopback by default', () => {
    const config = loadCoordinatorConfig(required);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.TLS_TERMINATED_BY_PROXY).toBe(false);
    for (const HOST of ['localhost', '127.0.0.2', '::1'])
      expect(loadCoordinatorConfig({ ...required, HOST }).HOST).toBe(HOST);
  });

  it('refuses to listen in clear on a non-loopback address, naming the remedies', () => {
    for (const HOST of ['0.0.0.0', '::', '10.1.2.3', 'coordinator.internal'])
      expect(() => loadCoordinatorConfig({ ...required, HOST })).toThrow(
        new RegExp(
          `HOST must be a loopback address when no TLS is configured.*TLS_CERT_FILE and TLS_KEY_FILE.*TLS_TERMINATED_BY_PROXY=true`,
        ),
      );
  });

  it('listens anywhere with a certificate and key, or when a proxy terminates TLS', () => {
    expect(loadCoordinatorConfig({ ...required, HOST: '0.0.0.0', ...tls }).TLS_CERT_FILE).toBe(
      tls.TLS_CERT_FILE,
    );
    const proxied = loadCoordinatorConfig({
      ...required,
      HOST: '0.0.0.0',
      TLS_TERMINATED_BY_PROXY: 'true',
    });
    expect(proxied.TLS_TERMINATED_BY_PROXY).toBe(true);
    expect(proxied.TRUSTED_PROXIES).toBe('loopback, uniquelocal');
  });

  it('refuses a certificate without its key or a key without its certificate', () => {
    expect(() => loadCoordinatorConfig({ ...required, TLS_CERT_FILE: 'c.pem' })).toThrow(
      'TLS_CERT_FILE is set without TLS_KEY_FILE',
    );
    expect(() => loadCoordinatorConfig({ ...required, TLS_KEY_FILE: 'k.pem' })).toThrow(
      'TLS_KEY_FILE is set without TLS_CERT_FILE',
    );
  });

  it('refuses a TLS_TERMINATED_BY_PROXY that is not true or false', () => {
    expect(() =>
      loadCoordinatorConfig({ ...required, HOST: '0.0.0.0', TLS_TERMINATED_BY_PROXY: 'yes' }),
    ).toThrow(/TLS_TERMINATED_BY_PROXY/);
  });
});

describe('coordinator secrets from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-secrets-'));
  const file = (name: string, content: string): string => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads ADMIN_TOKEN_FILE (one trailing newline ignored)', () => {
    const token = 'a'.repeat(40);
    const config = loadCoordinatorConfig({
      ...required,
      ADMIN_TOKEN_FILE: file('admin-token', `${token}\n`),
    });
    expect(config.ADMIN_TOKEN).toBe(token);
  });

  it('puts DATABASE_PASSWORD_FILE into DATABASE_URL, escaped', () => {
    const config = loadCoordinatorConfig({
      ...required,
      DATABASE_URL: 'postgresql://concord@postgres:5432/concord',
      DATABASE_PASSWORD_FILE: file('db-password', 'p@ss/word:1\n'),
    });
    const url = new URL(config.DATABASE_URL!);
    expect(decodeURIComponent(url.password)).toBe('p@ss/word:1');
    expect(url.username).toBe('concord');
    expect(url.host).toBe('postgres:5432');
  });

  it('puts REDIS_PASSWORD_FILE into REDIS_URL', () => {
    const config = loadCoordinatorConfig({
      ...required,
      REDIS_URL: 'redis://redis:6379',
      REDIS_PASSWORD_FILE: file('redis-password', 's3cret#1\n'),
    });
    expect(decodeURIComponent(new URL(config.REDIS_URL!).password)).toBe('s3cret#1');
    expect(() =>
      loadCoordinatorConfig({ ...required, REDIS_PASSWORD_FILE: join(dir, 'redis-password') }),
    ).toThrow('REDIS_PASSWORD_FILE needs REDIS_URL');
  });

  it('refuses a secret given both ways, a missing file, or a password file without a URL, never quoting a secret', () => {
    const secretFile = file('both', 'b'.repeat(40));
    expect(() =>
      loadCoordinatorConfig({
        ...required,
        ADMIN_TOKEN: 'c'.repeat(40),
        ADMIN_TOKEN_FILE: secretFile,
      }),
    ).toThrow('set ADMIN_TOKEN or ADMIN_TOKEN_FILE, not both');
    expect(() =>
      loadCoordinatorConfig({ ...required, ADMIN_TOKEN_FILE: join(dir, 'absent') }),
    ).toThrow(/ADMIN_TOKEN_FILE must be a readable file \(got .*absent \(ENOENT\)\)/);
    expect(() =>
      loadCoordinatorConfig({ ...required, DATABASE_PASSWORD_FILE: secretFile }),
    ).toThrow('DATABASE_PASSWORD_FILE needs DATABASE_URL');
    let message = '';
    try {
      loadCoordinatorConfig({
        ...required,
        DATABASE_URL: 'postgresql://concord:inline@postgres/concord',
        DATABASE_PASSWORD_FILE: secretFile,
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/DATABASE_URL already has a password/);
    expect(message).not.toMatch(/inline|bbbb/);
  });
});
