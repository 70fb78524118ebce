import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, seededRandom, utf8, verifyTagged } from '#concord/crypto';
import { ConfigurationError } from '#concord/errors';
import { SOFTHSM_MODULE, ThrowawaySoftHsm } from './softhsm.spec-support.js';
import {
  describeIdentityKeyConfig,
  type IdentityKeyConfig,
  parseIdentityKeyConfig,
} from './identity-key-config.js';
import {
  generateIdentityKey,
  importIdentityKey,
  type OpenedIdentity,
  openIdentityKey,
  readPublicIdentity,
} from './identity-key-store.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-keystore-'));
const hsm = new ThrowawaySoftHsm();
const env = { KEY_PASSPHRASE: 'a long enough passphrase', TOKEN_PIN: '1357' };
const opened: OpenedIdentity[] = [];

beforeAll(() => {
  hsm.useInThisProcess();
  hsm.initToken('store-spec', env.TOKEN_PIN);
});
afterAll(() => {
  for (const o of opened) o.close();
});

describe('identity key store configuration', () => {
  it('reads the three stores, resolving paths against the config directory', () => {
    writeFileSync(join(dir, 'pin'), '1357\n');
    expect(
      parseIdentityKeyConfig({ store: 'plain-file', file: 'a.json' }, 'identityKey', dir),
    ).toEqual({ store: 'plain-file', file: join(dir, 'a.json') });
    expect(
      parseIdentityKeyConfig(
        { store: 'encrypted-file', file: '/k.json', passphraseEnv: 'KEY_PASSPHRASE' },
        'identityKey',
        dir,
      ),
    ).toEqual({ store: 'encrypted-file', file: '/k.json', passphrase: { env: 'KEY_PASSPHRASE' } });
    expect(
      parseIdentityKeyConfig(
        { store: 'pkcs11', tokenLabel: 't', keyLabel: 'k', pinFile: 'pin' },
        'identityKey',
        dir,
      ),
    ).toEqual({
      store: 'pkcs11',
      module: SOFTHSM_MODULE,
      tokenLabel: 't',
      keyLabel: 'k',
      pin: { file: join(dir, 'pin') },
    });
  });

  it('refuses mistakes in one configuration line that names the setting', () => {
    const cases: [unknown, RegExp][] = [
      ['key.json', /identityKey must be an object with "store"/],
      [
        { store: 'hsm' },
        /identityKey\.store must be one of plain-file, encrypted-file, pkcs11 \(got "hsm"\)/,
      ],
      [
        { store: 'encrypted-file', file: 'k' },
        /identityKey must be given the passphrase by exactly one of identityKey.passphraseEnv \(an environment variable\) or identityKey.passphraseFile/,
      ],
      [
        { store: 'encrypted-file', file: 'k', passphraseEnv: 'A', passphraseFile: 'f' },
        /exactly one of/,
      ],
      [
        { store: 'pkcs11', keyLabel: 'k', pinEnv: 'P' },
        /identityKey\.tokenLabel must be a non-empty string/,
      ],
      [
        { store: 'plain-file', file: 'k', pin: '1234' },
        /only the fields store, file \(store plain-file\) \(got \["pin"\]\)/,
      ],
      [
        { store: 'pkcs11', tokenLabel: 't', keyLabel: 'k', pinEnv: 'not a name' },
        /identityKey\.pinEnv must be an environment variable name/,
      ],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        parseIdentityKeyConfig(value, 'identityKey', dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('describes a plain file as DEMO-ONLY', () => {
    expect(describeIdentityKeyConfig({ store: 'plain-file', file: '/k' })).toMatch(
      /^plain-file \/k \(DEMO-ONLY plaintext key file/,
    );
  });
});

describe('identity key stores', () => {
  const stores: IdentityKeyConfig[] = [
    { store: 'plain-file', file: join(dir, 'plain.json') },
    { store: 'encrypted-file', file: join(dir, 'enc.json'), passphrase: { env: 'KEY_PASSPHRASE' } },
    {
      store: 'pkcs11',
      module: SOFTHSM_MODULE,
      tokenLabel: 'store-spec',
      keyLabel: 'generated',
      pin: { file: join(dir, 'pin') },
    },
  ];

  it.each(stores)('generate, reopen and show the public key: $store', (config) => {
    writeFileSync(join(dir, 'pin'), '1357\n');
    const made = generateIdentityKey(config, 'metro-transit', seededRandom(config.store), env);
    opened.push(made);
    const again = openIdentityKey(config, env);
    opened.push(again);
    expect(again.agencyId).toBe('metro-transit');
    expect(again.signer.custody).toBe(config.store);
    expect(again.signer.publicKey).toEqual(made.signer.publicKey);
    const sig = again.signer.signTagged('concord/test', utf8('m'));
    expect(verifyTagged(made.signer.publicKey, 'concord/test', utf8('m'), sig)).toBe(true);
    expect(readPublicIdentity(config, env)).toEqual({
      agencyId: 'metro-transit',
      publicKey: made.signer.publicKey,
      custody: config.store,
    });
  });

  it('import one seed into every store: the same public key and signatures everywhere', () => {
    const seed = randomBytes(seededRandom('migrated'), 32);
    const targets: IdentityKeyConfig[] = [
      { store: 'plain-file', file: join(dir, 'migrated-plain.json') },
      {
        store: 'encrypted-file',
        file: join(dir, 'migrated.json'),
        passphrase: { env: 'KEY_PASSPHRASE' },
      },
      { ...(stores[2] as Extract<IdentityKeyConfig, { store: 'pkcs11' }>), keyLabel: 'migrated' },
    ];
    const signatures = targets.map((config) => {
      const identity = importIdentityKey(config, 'farepay', seed, env);
      opened.push(identity);
      return Buffer.from(identity.signer.signTagged('concord/test', utf8('same'))).toString('hex');
    });
    expect(new Set(signatures).size).toBe(1);
  });
});
