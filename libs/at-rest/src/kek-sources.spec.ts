import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom, utf8 } from '#concord/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtRestError } from './at-rest-error.js';
import { passphraseKekRing } from './kek-ring.js';
import {
  keyFromEnv,
  operatorKeyKek,
  parseKeyText,
  readKeyFile,
  writeKeyFile,
} from './operator-key.js';
import { newPassphraseKek, passphraseKekForId } from './passphrase-kek.js';

const rng = seededRandom('kek-sources.spec');
const CHEAP = { log2N: 10, r: 8, p: 1 };
const CONTEXT = utf8('concord/at-rest/v1/node-ledger/metro-transit');
const DATA_KEY = new Uint8Array(32).fill(9);
const KEY_HEX = 'ab'.repeat(32);

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AtRestError);
    return (e as AtRestError).code;
  }
  throw new Error('expected an AtRestError');
}

describe('operator key KEK', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kek-sources-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('wraps with the context bound: unwrapped only under the same key and context', () => {
    const kek = operatorKeyKek(parseKeyText(KEY_HEX, 'test'), rng);
    const wrapped = kek.wrap(DATA_KEY, CONTEXT);
    expect(kek.unwrap(wrapped, CONTEXT)).toEqual(DATA_KEY);
    expect(code(() => kek.unwrap(wrapped, utf8('another context')))).toBe('at-rest-tampered');
    const other = operatorKeyKek(new Uint8Array(32).fill(1), rng);
    expect(code(() => other.unwrap(wrapped, CONTEXT))).toBe('at-rest-tampered');
    expect(code(() => kek.unwrap(wrapped.subarray(0, 20), CONTEXT))).toBe('at-rest-tampered');
  });

  it('has a stable, non-secret id: a fingerprint, not the key', () => {
    const key = parseKeyText(KEY_HEX, 'test');
    expect(operatorKeyKek(key).id).toBe(operatorKeyKek(Uint8Array.from(key)).id);
    expect(operatorKeyKek(key).id).toMatch(/^key:[0-9a-f]{16}$/);
    expect(operatorKeyKek(key).id).not.toContain('abab');
  });

  it('reads hex or base64 text of exactly 32 bytes, and refuses anything else', () => {
    const key = parseKeyText(KEY_HEX, 'test');
    expect(parseKeyText(Buffer.from(key).toString('base64'), 'test')).toEqual(key);
    expect(parseKeyText(`  ${Buffer.from(key).toString('base64url')}\n`, 'test')).toEqual(key);
    for (const bad of ['', 'ab'.repeat(31), 'ab'.repeat(33), 'not a key at all'])
      expect(code(() => parseKeyText(bad, 'test'))).toBe('at-rest-kek-unavailable');
  });

  it('reads a key from an environment variable, refusing an unset one by name', () => {
    expect(keyFromEnv('K', { K: KEY_HEX })).toEqual(parseKeyText(KEY_HEX, 'test'));
    try {
      keyFromEnv('CONCORD_MISSING_KEK', {});
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('CONCORD_MISSING_KEK');
    }
  });

  it('writes a 0600 key file once, reads it back, refuses one others may read', () => {
    const file = join(dir, 'node.kek');
    const id = writeKeyFile(file, rng);
    expect(operatorKeyKek(readKeyFile(file)).id).toBe(id);
    expect(() => writeKeyFile(file, rng)).toThrow(/EEXIST/);
    if (process.platform !== 'win32') {
      chmodSync(file, 0o644);
      expect(code(() => readKeyFile(file))).toBe('at-rest-kek-unavailable');
    }
    expect(code(() => readKeyFile(join(dir, 'absent.kek')))).toBe('at-rest-kek-unavailable');
    writeFileSync(join(dir, 'short.kek'), 'abcd', { mode: 0o600 });
    expect(code(() => readKeyFile(join(dir, 'short.kek')))).toBe('at-rest-kek-unavailable');
  });
});

describe('passphrase KEK', () => {
  it('is derived again from its id (salt and cost) with the same passphrase only', () => {
    const kek = newPassphraseKek('a long enough passphrase', CHEAP, rng);
    expect(kek.id).toMatch(/^scrypt:10:8:1:[A-Za-z0-9_-]{22}:[0-9a-f]{16}$/);
    const again = passphraseKekForId('a long enough passphrase', kek.id, rng)!;
    expect(again.unwrap(kek.wrap(DATA_KEY, CONTEXT), CONTEXT)).toEqual(DATA_KEY);
    expect(passphraseKekForId('another long passphrase', kek.id, rng)).toBeUndefined();
    expect(passphraseKekForId('a long enough passphrase', 'key:0011223344556677')).toBeUndefined();
  });

  it('draws a fresh salt per new KEK, and refuses a short passphrase', () => {
    const one = newPassphraseKek('a long enough passphrase', CHEAP, rng);
    const two = newPassphraseKek('a long enough passphrase', CHEAP, rng);
    expect(one.id).not.toBe(two.id);
    expect(code(() => newPassphraseKek('short', CHEAP, rng))).toBe('at-rest-kek-unavailable');
  });

  it('refuses an id asking for an absurd cost instead of deriving it', () => {
    const kek = newPassphraseKek('a long enough passphrase', CHEAP, rng);
    const greedy = kek.id.replace(/^scrypt:10:/, 'scrypt:30:');
    expect(passphraseKekForId('a long enough passphrase', greedy)).toBeUndefined();
  });

  it('seals new files, through its ring, under the KEK that opened the first one', () => {
    const kek = newPassphraseKek('a long enough passphrase', CHEAP, rng);
    const ring = passphraseKekRing('a long enough passphrase', 'passphrase', CHEAP);
    expect(ring.find(kek.id)?.id).toBe(kek.id);
    expect(ring.sealing().id).toBe(kek.id);
    const fresh = passphraseKekRing('a long enough passphrase', 'passphrase', CHEAP);
    expect(fresh.sealing().id).toMatch(/^scrypt:10:/);
    expect(fresh.sealing().id).not.toBe(kek.id);
  });
});
