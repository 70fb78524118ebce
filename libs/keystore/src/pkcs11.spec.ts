import { ed25519 } from '@noble/curves/ed25519.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, seededRandom, taggedHash, utf8, verifyTagged } from '#concord/crypto';
import { ThrowawaySoftHsm, SOFTHSM_MODULE } from './softhsm.spec-support.js';
import { KeyStoreError } from './keystore-error.js';
import type { Pkcs11KeyLocation } from './pkcs11-config.js';
import {
  generatePkcs11Identity,
  importPkcs11Identity,
  openPkcs11Identity,
  type Pkcs11Identity,
} from './pkcs11-identity.js';
import { generatePkcs11Kek, openPkcs11Kek } from './pkcs11-kek.js';

const hsm = new ThrowawaySoftHsm();
const PIN = '246810';
const env = { TOKEN_PIN: PIN, WRONG_PIN: '999999' };
const at = (keyLabel: string, pinEnv = 'TOKEN_PIN', tokenLabel = 'agency'): Pkcs11KeyLocation => ({
  module: SOFTHSM_MODULE,
  tokenLabel,
  keyLabel,
  pin: { env: pinEnv },
});
const opened: { close(): void }[] = [];
function keep<T extends { close(): void }>(x: T): T {
  opened.push(x);
  return x;
}

function refusal(run: () => unknown): KeyStoreError {
  try {
    run();
  } catch (e) {
    if (e instanceof KeyStoreError) return e;
    throw e;
  }
  throw new Error('expected a KeyStoreError');
}

beforeAll(() => {
  hsm.useInThisProcess();
  hsm.initToken('agency', PIN);
  hsm.initToken('spare', PIN);
});
afterAll(() => {
  for (const o of opened) o.close();
});

describe('PKCS#11 identity keys (SoftHSM2)', () => {
  let generated: Pkcs11Identity;

  it('are generated in the token and sign exactly as noble does over the tagged hash', () => {
    generated = keep(generatePkcs11Identity(at('metro-identity'), 'metro-transit', env));
    expect(generated.agencyId).toBe('metro-transit');
    expect(generated.signer.custody).toBe('pkcs11');
    expect(generated.signer.publicKey).toHaveLength(32);
    const message = utf8('a seal');
    const sig = generated.signer.signTagged('concord/transcript/seal/v1', message);
    expect(
      ed25519.verify(
        sig,
        taggedHash('concord/transcript/seal/v1', message),
        generated.signer.publicKey,
      ),
    ).toBe(true);
    expect(verifyTagged(generated.signer.publicKey, 'concord/other/v1', message, sig)).toBe(false);
  });

  it('keep the private key sensitive and not extractable, and refuse a second key of one label', () => {
    expect(refusal(() => generatePkcs11Identity(at('metro-identity'), 'x', env)).code).toBe(
      'key-exists',
    );
    // Reopened (a fresh session) it is the same key, with the agency read back from CKA_ID.
    const again = keep(openPkcs11Identity(at('metro-identity'), env));
    expect(again.signer.publicKey).toEqual(generated.signer.publicKey);
    expect(again.agencyId).toBe('metro-transit');
  });

  it('import a seed and then sign byte for byte as noble signs with that seed', () => {
    const seed = randomBytes(seededRandom('pkcs11-import'), 32);
    const imported = keep(
      importPkcs11Identity(
        at('farepay-identity'),
        'farepay',
        seed,
        ed25519.getPublicKey(seed),
        env,
      ),
    );
    expect(imported.signer.publicKey).toEqual(ed25519.getPublicKey(seed));
    for (const text of ['', 'login', 'x'.repeat(5000)]) {
      const message = utf8(text);
      expect(imported.signer.signTagged('concord/node-auth/v1', message)).toEqual(
        ed25519.sign(taggedHash('concord/node-auth/v1', message), seed),
      );
    }
  });

  it('refuse a wrong PIN, an unknown token or key, a missing module, with clear errors', () => {
    const wrongPin = refusal(() => openPkcs11Identity(at('metro-identity', 'WRONG_PIN'), env));
    expect([wrongPin.code, wrongPin.message]).toEqual([
      'pkcs11-login-failed',
      'wrong PIN for the PKCS#11 token "agency"',
    ]);
    // On a token no session of this process is logged in to, the token itself checks the PIN.
    const fresh = refusal(() => openPkcs11Identity(at('k', 'WRONG_PIN', 'spare'), env));
    expect([fresh.code, fresh.message]).toEqual([
      'pkcs11-login-failed',
      'wrong PIN for the PKCS#11 token "spare"',
    ]);
    const noToken = refusal(() => openPkcs11Identity(at('k', 'TOKEN_PIN', 'nope'), env));
    expect(noToken.code).toBe('pkcs11-token-not-found');
    expect(noToken.message).toContain('"nope"');
    const noKey = refusal(() => openPkcs11Identity(at('absent'), env));
    expect([noKey.code, noKey.message]).toEqual([
      'pkcs11-key-not-found',
      'the PKCS#11 token "agency" holds no private key labelled "absent"',
    ]);
    const noModule = refusal(() =>
      openPkcs11Identity({ ...at('k'), module: '/nonexistent/libpkcs11.so' }, env),
    );
    expect(noModule.code).toBe('pkcs11-module-unavailable');
    expect(noModule.message).toContain('/nonexistent/libpkcs11.so');
    const noPin = refusal(() => openPkcs11Identity(at('k', 'UNSET_PIN'), env));
    expect([noPin.code, noPin.message]).toEqual([
      'secret-unavailable',
      'the PKCS#11 PIN is read from the environment variable UNSET_PIN, which is not set',
    ]);
  });
});

describe('PKCS#11 key-encryption keys (SoftHSM2)', () => {
  it('wrap and unwrap data keys in the token, bound to their context', () => {
    const kek = keep(generatePkcs11Kek(at('at-rest-kek'), env));
    expect(kek.id).toBe('pkcs11:agency/at-rest-kek');
    const dataKey = randomBytes(seededRandom('data-key'), 32);
    const wrapped = kek.wrap(dataKey, utf8('ledger.db'));
    expect(wrapped).toHaveLength(1 + 12 + 32 + 16);
    expect(Buffer.from(wrapped).includes(Buffer.from(dataKey))).toBe(false);
    expect(kek.unwrap(wrapped, utf8('ledger.db'))).toEqual(dataKey);
    // A reopened KEK (the same key in the token) unwraps it too.
    const reopened = keep(openPkcs11Kek(at('at-rest-kek'), env));
    expect(reopened.unwrap(wrapped, utf8('ledger.db'))).toEqual(dataKey);

    expect(refusal(() => kek.unwrap(wrapped, utf8('other.db'))).code).toBe('unwrap-failed');
    const altered = Uint8Array.from(wrapped);
    altered[20] ^= 1;
    expect(refusal(() => kek.unwrap(altered, utf8('ledger.db'))).code).toBe('unwrap-failed');
    expect(refusal(() => kek.unwrap(wrapped.subarray(0, 20), utf8('ledger.db'))).code).toBe(
      'unwrap-failed',
    );
    // The session survives refusals: the next unwrap works.
    expect(kek.unwrap(wrapped, utf8('ledger.db'))).toEqual(dataKey);

    const other = keep(generatePkcs11Kek(at('other-kek'), env));
    expect(refusal(() => other.unwrap(wrapped, utf8('ledger.db'))).code).toBe('unwrap-failed');
  });
});
