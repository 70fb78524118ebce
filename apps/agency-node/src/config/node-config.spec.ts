import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '#concord/errors';
import { loadNodeConfig } from './node-config.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-node-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valid = {
  agencyId: 'metro-transit',
  identityKeyFile: 'metro.key',
  consortiumFile: 'consortium.json',
  coordinatorUrl: 'http://127.0.0.1:3000',
  protocolsDir: 'protocols',
  approvedProtocols: [],
  data: {},
};

function refusal(config: object): string {
  const file = join(dir, 'node.json');
  writeFileSync(file, JSON.stringify(config));
  try {
    loadNodeConfig(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message.replaceAll(file, 'node.json');
  }
  throw new Error('accepted');
}

describe('a refused node configuration', () => {
  it('names the field, the file and what the field must be, in one line', () => {
    expect(refusal({ ...valid, coordinatorUrl: 'ftp://coordinator' })).toBe(
      'configuration error: coordinatorUrl in node.json must be an http:// or https:// URL (got a URL of scheme "ftp:")',
    );
    expect(refusal({ ...valid, engine: 'turbo' })).toBe(
      'configuration error: engine in node.json must be native or jiff (got "turbo")',
    );
    for (const joinWorkers of [0, 1.5, '2', 257])
      expect(refusal({ ...valid, joinWorkers })).toBe(
        `configuration error: joinWorkers in node.json must be an integer from 1 to 256 (got "${String(joinWorkers)}")`,
      );
    for (const sendWindowBytes of [0, 2.5, '16', 2 ** 30 + 1])
      expect(refusal({ ...valid, sendWindowBytes })).toBe(
        `configuration error: sendWindowBytes in node.json must be an integer number of bytes from 1 to 1073741824 (got "${String(sendWindowBytes)}")`,
      );
  });

  it('names a nested field by its path and an unknown field as not one', () => {
    expect(refusal({ ...valid, ledger: { capRho: 'lots' } })).toBe(
      'configuration error: ledger.capRho in node.json must be a non-negative rational such as 4 or 1/2 (got "lots")',
    );
    expect(refusal({ ...valid, coordinatorURL: 'http://x' })).toBe(
      'configuration error: coordinatorURL in node.json must be absent: it is not a node configuration field',
    );
  });

  it('needs exactly one identity key store, and checks it in one line', () => {
    const noKey: Partial<typeof valid> = { ...valid };
    delete noKey.identityKeyFile;
    expect(refusal(noKey)).toBe(
      'configuration error: identityKey in node.json must be given, or else the legacy identityKeyFile (exactly one of the two)',
    );
    expect(refusal({ ...valid, identityKey: { store: 'plain-file', file: 'k' } })).toMatch(
      /exactly one of the two/,
    );
    expect(
      refusal({ ...noKey, identityKey: { store: 'pkcs11', tokenLabel: 't', keyLabel: 'k' } }),
    ).toBe(
      'configuration error: identityKey in node.json must be given the PIN by exactly one of identityKey.pinEnv (an environment variable) or identityKey.pinFile',
    );
    expect(refusal({ ...noKey, identityKey: { store: 'vault', file: 'k' } })).toBe(
      'configuration error: identityKey.store in node.json must be one of plain-file, encrypted-file, pkcs11 (got "vault")',
    );
  });

  it('reads each store, and the legacy identityKeyFile as the DEMO-ONLY plain file', () => {
    const file = join(dir, 'node.json');
    const demo = { ...valid, atRest: { plaintext: 'demo-only' } };
    const noKey: Partial<typeof demo> = { ...demo };
    delete noKey.identityKeyFile;
    writeFileSync(file, JSON.stringify(demo));
    expect(loadNodeConfig(file).identityKeyStore).toEqual({
      store: 'plain-file',
      file: join(dir, 'metro.key'),
    });
    writeFileSync(
      file,
      JSON.stringify({
        ...noKey,
        identityKey: { store: 'encrypted-file', file: 'k.json', passphraseFile: 'pass' },
      }),
    );
    expect(loadNodeConfig(file).identityKeyStore).toEqual({
      store: 'encrypted-file',
      file: join(dir, 'k.json'),
      passphrase: { file: join(dir, 'pass') },
    });
    writeFileSync(
      file,
      JSON.stringify({
        ...noKey,
        identityKey: { store: 'pkcs11', tokenLabel: 'hsm', keyLabel: 'metro', pinEnv: 'HSM_PIN' },
      }),
    );
    expect(loadNodeConfig(file).identityKeyStore).toEqual({
      store: 'pkcs11',
      module: '/usr/lib/softhsm/libsofthsm2.so',
      tokenLabel: 'hsm',
      keyLabel: 'metro',
      pin: { env: 'HSM_PIN' },
    });
  });

  it('never quotes the connector settings, which may hold a database password', () => {
    expect(refusal({ ...valid, data: 'postgresql://u:hunter2@db/x' })).toBe(
      'configuration error: data in node.json must be an object of settings per connector',
    );
  });

  it('refuses a configuration that does not say how its files are kept at rest', () => {
    expect(refusal(valid)).toBe(
      'configuration error: atRest in node.json must be an atRest section: { "kek": { "keyFile": "<key file>" } } (or keyEnv, passphraseEnv, passphraseFile), or { "plaintext": "demo-only" } for a demonstration',
    );
    expect(refusal({ ...valid, atRest: { kek: { keyFile: 'a', keyEnv: 'B' } } })).toBe(
      'configuration error: atRest.kek in node.json must be exactly one KEK source of keyFile, keyEnv, passphraseEnv, passphraseFile, pkcs11 (got keyFile and keyEnv)',
    );
    expect(refusal({ ...valid, atRest: { plaintext: 'yes' } })).toContain(
      'atRest.plaintext in node.json must be "demo-only"',
    );
    expect(
      refusal({ ...valid, atRest: { plaintext: 'demo-only', kek: { keyFile: 'k' } } }),
    ).toContain('atRest in node.json must be an atRest section');
  });
});

describe('an accepted atRest section', () => {
  it('resolves a key file against the configuration directory, and takes plaintext when said', () => {
    const file = join(dir, 'node.json');
    writeFileSync(file, JSON.stringify({ ...valid, atRest: { kek: { keyFile: 'keys/n.kek' } } }));
    expect(loadNodeConfig(file).atRest?.kek?.keyFile).toBe(join(dir, 'keys', 'n.kek'));
    writeFileSync(file, JSON.stringify({ ...valid, atRest: { plaintext: 'demo-only' } }));
    expect(loadNodeConfig(file).atRest?.plaintext).toBe('demo-only');
  });
});
