import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomBytes, seededRandom, utf8, verifyTagged } from '#concord/crypto';
import {
  ENCRYPTED_KEY_FILE_FORMAT,
  readEncryptedKeyFile,
  readEncryptedKeyFileHeader,
  writeEncryptedKeyFile,
} from './encrypted-key-file.js';
import { KeyStoreError } from './keystore-error.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-enc-key-'));
const PASSPHRASE = 'correct horse battery staple';
const seed = randomBytes(seededRandom('encrypted-key-file'), 32);
const path = join(dir, 'metro.key.json');
const written = writeEncryptedKeyFile(path, 'metro-transit', seed, PASSPHRASE);

function refusal(run: () => unknown): KeyStoreError {
  try {
    run();
  } catch (e) {
    if (e instanceof KeyStoreError) return e;
    throw e;
  }
  throw new Error('expected a KeyStoreError');
}

describe('encrypted identity key files', () => {
  it('round-trip: owner-only, the header public, the seed only under the passphrase', () => {
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual(
      ['aead', 'agencyId', 'ciphertext', 'format', 'kdf', 'nonce', 'publicKey', 'salt'].sort(),
    );
    expect(json.format).toBe(ENCRYPTED_KEY_FILE_FORMAT);
    expect(json.kdf).toEqual({ name: 'scrypt', N: 131072, r: 8, p: 1 });
    expect(readFileSync(path, 'utf8')).not.toContain(Buffer.from(seed).toString('hex'));
    const read = readEncryptedKeyFile(path, PASSPHRASE);
    expect(read.agencyId).toBe('metro-transit');
    expect(read.seed).toEqual(seed);
    expect(read.signer.custody).toBe('encrypted-file');
    expect(read.signer.publicKey).toEqual(written.publicKey);
    const sig = read.signer.signTagged('concord/test', utf8('hello'));
    expect(verifyTagged(written.publicKey, 'concord/test', utf8('hello'), sig)).toBe(true);
    expect(readEncryptedKeyFileHeader(path).publicKey).toEqual(written.publicKey);
    expect(refusal(() => writeEncryptedKeyFile(path, 'x', seed, PASSPHRASE)).code).toBe(
      'key-exists',
    );
  });

  it('refuse a wrong passphrase with a typed error that names the file, not the passphrase', () => {
    const e = refusal(() => readEncryptedKeyFile(path, 'not the passphrase'));
    expect(e.code).toBe('decryption-failed');
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/wrong passphrase, or the file was altered/);
    expect(e.message).not.toContain('not the passphrase');
  });

  it('refuse a file with any byte of its ciphertext or header altered', () => {
    const text = readFileSync(path, 'utf8');
    const json = JSON.parse(text) as Record<string, string>;
    const flip = (hex: string, at: number): string =>
      hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
    const altered: [string, Record<string, unknown>][] = [
      ['ciphertext', { ...json, ciphertext: flip(json.ciphertext, 10) }],
      ['tag', { ...json, ciphertext: flip(json.ciphertext, 90) }],
      ['nonce', { ...json, nonce: flip(json.nonce, 0) }],
      ['salt', { ...json, salt: flip(json.salt, 3) }],
      ['agencyId', { ...json, agencyId: 'farepay' }],
    ];
    for (const [name, body] of altered) {
      const p = join(dir, `altered-${name}.json`);
      writeFileSync(p, JSON.stringify(body));
      expect(refusal(() => readEncryptedKeyFile(p, PASSPHRASE)).code, name).toBe(
        'decryption-failed',
      );
    }
  });

  it('refuse truncated or malformed files, and weak KDF parameters, before any decryption', () => {
    const text = readFileSync(path, 'utf8');
    const json = JSON.parse(text) as Record<string, unknown>;
    const cases: [string, string][] = [
      ['truncated', text.slice(0, Math.floor(text.length / 2))],
      ['empty', ''],
      ['short-ciphertext', JSON.stringify({ ...json, ciphertext: 'ab'.repeat(40) })],
      ['weak-kdf', JSON.stringify({ ...json, kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 } })],
      ['huge-kdf', JSON.stringify({ ...json, kdf: { name: 'scrypt', N: 2 ** 24, r: 8, p: 1 } })],
      ['other-format', JSON.stringify({ ...json, format: 'concord-identity/1' })],
    ];
    for (const [name, body] of cases) {
      const p = join(dir, `malformed-${name}.json`);
      writeFileSync(p, body);
      const e = refusal(() => readEncryptedKeyFile(p, PASSPHRASE));
      expect(e.code, name).toBe('malformed-key-file');
      expect(e.message, name).toContain(p);
    }
    expect(refusal(() => readEncryptedKeyFile(join(dir, 'missing.json'), PASSPHRASE)).code).toBe(
      'malformed-key-file',
    );
  });

  it('refuse a short passphrase when writing', () => {
    expect(
      refusal(() => writeEncryptedKeyFile(join(dir, 'weak.json'), 'm', seed, 'short')).code,
    ).toBe('weak-passphrase');
  });
});
