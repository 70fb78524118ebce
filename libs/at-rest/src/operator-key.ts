import { readFileSync, statSync, writeFileSync } from 'node:fs';
import {
  type KeyEncryptionKey,
  type RandomSource,
  randomBytes,
  systemRandom,
  toHex,
  wipe,
} from '#concord/crypto';
import { aesGcmKek, keyFingerprint } from './aes-gcm-kek.js';
import { AtRestError } from './at-rest-error.js';

/**
 * A KEK from 32 bytes the operator supplies (a key file or an environment variable). Its id,
 * `key:<fingerprint>`, names it in every file it seals without revealing it.
 */
export function operatorKeyKek(
  key: Uint8Array,
  rng: RandomSource = systemRandom,
): KeyEncryptionKey {
  return aesGcmKek(key, `key:${keyFingerprint(key)}`, rng);
}

/**
 * Reads a 32-byte key given as text: 64 hex digits or standard/URL-safe base64, surrounding
 * whitespace ignored. `source` names where it came from in errors (never the value).
 */
export function parseKeyText(text: string, source: string): Uint8Array {
  const t = text.trim();
  let key: Uint8Array | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = new Uint8Array(Buffer.from(t, 'hex'));
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = new Uint8Array(Buffer.from(t, 'base64'));
  if (key?.length !== 32)
    throw new AtRestError(
      'at-rest-kek-unavailable',
      `${source} must hold a 32-byte key as 64 hex digits or base64 (concord at-rest generate-key writes one)`,
    );
  return key;
}

/**
 * Reads a key file: refused when group or others may read or write it (as ssh refuses a private
 * key), since anyone who reads it reads every file the node sealed.
 */
export function readKeyFile(path: string): Uint8Array {
  return parseKeyText(readSecretFile(path, 'key file'), `key file ${path}`);
}

/** Reads a secret from a file that only its owner may read (mode 0600 or 0400). */
export function readSecretFile(path: string, what: string): string {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AtRestError(
      'at-rest-kek-unavailable',
      `${what} ${path} cannot be read (${e instanceof Error ? e.message : String(e)})`,
      { cause: e },
    );
  }
  // Windows has no POSIX modes; its ACLs are the operator's to set.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new AtRestError(
      'at-rest-kek-unavailable',
      `${what} ${path} may be read or written by group or others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`,
    );
  return text;
}

/** Reads a key from an environment variable (hex or base64), refused when it is unset. */
export function keyFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const value = env[name];
  if (value === undefined || value === '')
    throw new AtRestError(
      'at-rest-kek-unavailable',
      `environment variable ${name} (the at-rest key) is not set`,
    );
  return parseKeyText(value, `environment variable ${name}`);
}

/**
 * Writes a new random 32-byte key file (64 hex digits, mode 0600), never over an existing file.
 * Returns the id of the KEK it makes.
 */
export function writeKeyFile(path: string, rng: RandomSource = systemRandom): string {
  const key = randomBytes(rng, 32);
  try {
    writeFileSync(path, `${toHex(key)}\n`, { mode: 0o600, flag: 'wx' });
    return operatorKeyKek(key).id;
  } finally {
    wipe(key);
  }
}
