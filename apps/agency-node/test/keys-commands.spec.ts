import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '#concord/errors';
import { KeyStoreError } from '#concord/keystore';
import { SOFTHSM_MODULE, ThrowawaySoftHsm } from '../../../test/support/softhsm.js';
import { fromHex } from '#concord/crypto';
import { verifyJiffCredential } from '#concord/wire';
import { consortiumInit, jiffCredential } from '../src/cli/commands.js';
import { keysRotate } from '../src/cli/key-commands.js';
import { keysGenerate, keysImport, keysShowPublic } from '../src/cli/keys-commands.js';

const hsm = new ThrowawaySoftHsm();
const dir = hsm.dir;
const pkcs11 = {
  store: 'pkcs11',
  module: SOFTHSM_MODULE,
  tokenLabel: 'cli-spec',
  pinEnv: 'CLI_SPEC_PIN',
};
const encrypted = { store: 'encrypted-file', passphraseEnv: 'CLI_SPEC_PASSPHRASE' };

beforeAll(() => {
  hsm.useInThisProcess();
  hsm.initToken('cli-spec', '8642');
  process.env.CLI_SPEC_PIN = '8642';
  process.env.CLI_SPEC_PASSPHRASE = 'the cli spec passphrase';
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The public key a command printed. */
function publicKeyIn(out: string): string {
  const m = /^public key ([0-9a-f]{64})$/m.exec(out);
  if (!m) throw new Error(`no public key in:\n${out}`);
  return m[1];
}

describe('concord keys', () => {
  let stdout: string[];
  const printed = (): string => stdout.splice(0).join('');
  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('generate in each store, and show-public prints the same agency, key and custody', () => {
    keysGenerate({ agency: 'metro-transit', out: join(dir, 'metro.key.json') });
    const plain = printed();
    expect(plain).toMatch(/DEMO-ONLY plaintext key file/);
    expect(plain).toMatch(/^custody plain-file \(DEMO-ONLY plaintext key\)$/m);
    keysShowPublic({ store: 'plain-file', file: join(dir, 'metro.key.json') });
    expect(publicKeyIn(printed())).toBe(publicKeyIn(plain));

    keysGenerate({ agency: 'farepay', ...encrypted, file: join(dir, 'farepay.key.json') });
    const enc = printed();
    expect(enc).toMatch(/^custody encrypted-file$/m);
    expect(enc).not.toMatch(/DEMO-ONLY/);
    // No passphrase is needed to read the public half.
    keysShowPublic({ store: 'encrypted-file', file: join(dir, 'farepay.key.json') });
    const shown = printed();
    expect(publicKeyIn(shown)).toBe(publicKeyIn(enc));
    expect(shown).toMatch(/^agency farepay$/m);

    keysGenerate({ agency: 'city-planning', ...pkcs11, keyLabel: 'planning' });
    const hsmKey = printed();
    expect(hsmKey).toMatch(/^custody pkcs11$/m);
    keysShowPublic({ ...pkcs11, keyLabel: 'planning' });
    const again = printed();
    expect(publicKeyIn(again)).toBe(publicKeyIn(hsmKey));
    expect(again).toMatch(/^agency city-planning$/m);
  });

  it('import a plain key file or a hex seed into the other stores, keeping the public key', () => {
    keysGenerate({ agency: 'metro-transit', out: join(dir, 'migrate.key.json') });
    const original = publicKeyIn(printed());
    keysImport({
      fromPlainFile: join(dir, 'migrate.key.json'),
      ...pkcs11,
      keyLabel: 'migrated',
    });
    expect(publicKeyIn(printed())).toBe(original);
    keysImport({
      fromPlainFile: join(dir, 'migrate.key.json'),
      ...encrypted,
      file: join(dir, 'migrated.key.json'),
    });
    expect(publicKeyIn(printed())).toBe(original);

    const seed = JSON.parse(readFileSync(join(dir, 'migrate.key.json'), 'utf8')) as {
      secretKey: string;
    };
    writeFileSync(join(dir, 'seed.hex'), `${seed.secretKey}\n`);
    keysImport({
      agency: 'metro-transit',
      seedFile: join(dir, 'seed.hex'),
      ...encrypted,
      file: join(dir, 'from-seed.key.json'),
    });
    expect(publicKeyIn(printed())).toBe(original);
  });

  it('sign a JIFF credential with a key in any store (here the token)', () => {
    keysShowPublic({ ...pkcs11, keyLabel: 'planning' });
    const publicKey = fromHex(publicKeyIn(printed()), 32);
    jiffCredential({ ...pkcs11, keyLabel: 'planning', computation: 'session-1', party: '3' });
    const credential = printed().trim();
    expect(verifyJiffCredential(publicKey, 'session-1', 3, credential)).toBe(true);
    expect(verifyJiffCredential(publicKey, 'session-2', 3, credential)).toBe(false);
  });

  it('refuse missing or contradictory options with one clear line', () => {
    expect(() => keysGenerate({ agency: 'metro-transit' })).toThrow(
      'configuration error: --store must be one of plain-file, encrypted-file, pkcs11',
    );
    expect(() =>
      keysGenerate({ agency: 'metro-transit', store: 'encrypted-file', file: join(dir, 'x') }),
    ).toThrow(
      'configuration error: --store must be given the passphrase by exactly one of --passphrase-env (an environment variable) or --passphrase-file',
    );
    expect(() => keysShowPublic({ ...pkcs11 })).toThrow(
      'configuration error: --key-label must be a non-empty string (store pkcs11)',
    );
    expect(() => keysImport({ ...pkcs11, keyLabel: 'k' })).toThrow(ConfigurationError);
    expect(() => keysGenerate({ agency: 'x', ...pkcs11, keyLabel: 'planning' })).toThrow(
      ConfigurationError, // 'x' is not an agency id
    );
    expect(() =>
      keysGenerate({ agency: 'city-planning', ...pkcs11, keyLabel: 'planning' }),
    ).toThrow(
      KeyStoreError, // key-exists: never replaced
    );
  });
});

describe('concord consortium init', () => {
  beforeEach(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('pins public keys read from a key file, a node configuration (pkcs11) and a hex key', () => {
    const node = join(dir, 'planning.node.json');
    writeFileSync(
      node,
      JSON.stringify({
        agencyId: 'city-planning',
        identityKey: { ...pkcs11, keyLabel: 'planning' },
        consortiumFile: 'consortium.json',
        coordinatorUrl: 'http://127.0.0.1:3000',
        protocolsDir: 'protocols',
        approvedProtocols: [],
        data: {},
        atRest: { plaintext: 'demo-only' },
      }),
    );
    const out = join(dir, 'consortium.json');
    consortiumInit({
      name: 'Spec City',
      out,
      transit: join(dir, 'metro.key.json'),
      payments: 'ab'.repeat(32),
      paymentsId: 'farepay',
      planning: node,
    });
    const consortium = JSON.parse(readFileSync(out, 'utf8')) as {
      agencies: { id: string; keys: { epoch: number; publicKey: string }[] }[];
    };
    expect(consortium.agencies.map((a) => a.id)).toEqual([
      'metro-transit',
      'farepay',
      'city-planning',
    ]);
    expect(consortium.agencies[1].keys).toMatchObject([{ epoch: 0, publicKey: 'ab'.repeat(32) }]);
    expect(consortium.agencies[0].keys[0].publicKey).toBe(
      (JSON.parse(readFileSync(join(dir, 'metro.key.json'), 'utf8')) as { publicKey: string })
        .publicKey,
    );
    expect(() =>
      consortiumInit({
        name: 'x',
        out,
        transit: 'cd'.repeat(32),
        payments: node,
        planning: node,
      }),
    ).toThrow('configuration error: --transit-id must be an agency id');
  });

  it('lets keys rotate sign with keys in the token, named by node configurations', () => {
    const nodeConfig = (name: string, keyLabel: string): string => {
      const file = join(dir, name);
      writeFileSync(
        file,
        JSON.stringify({
          agencyId: 'city-planning',
          identityKey: { ...pkcs11, keyLabel },
          consortiumFile: 'consortium.json',
          coordinatorUrl: 'http://127.0.0.1:3000',
          protocolsDir: 'protocols',
          approvedProtocols: [],
          data: {},
          atRest: { plaintext: 'demo-only' },
        }),
      );
      return file;
    };
    const current = nodeConfig('rotate-old.node.json', 'planning');
    const out = join(dir, 'rotate-consortium.json');
    consortiumInit({
      name: 'Rotate City',
      out,
      transit: join(dir, 'metro.key.json'),
      payments: 'cd'.repeat(32),
      paymentsId: 'farepay',
      planning: current,
    });
    keysGenerate({ agency: 'city-planning', ...pkcs11, keyLabel: 'planning-2' });
    const statementFile = join(dir, 'rotation.json');
    keysRotate({
      consortium: out,
      agency: 'city-planning',
      oldKey: current,
      newKey: nodeConfig('rotate-new.node.json', 'planning-2'),
      effective: '2099-01-01T00:00:00Z',
      out: statementFile,
    });
    const statement = JSON.parse(readFileSync(statementFile, 'utf8')) as { type: string };
    expect(statement.type).toBe('rotation');
    // A key of another agency is refused before anything is signed.
    expect(() =>
      keysRotate({
        consortium: out,
        agency: 'city-planning',
        oldKey: join(dir, 'metro.key.json'),
        newKey: nodeConfig('rotate-new2.node.json', 'planning-2'),
        effective: '2099-01-01T00:00:00Z',
        out: join(dir, 'rotation-2.json'),
      }),
    ).toThrow(/--old-key must be a key of city-planning/);
  });
});
