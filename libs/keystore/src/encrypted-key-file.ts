import { createCipheriv, createDecipheriv, scryptSync } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import {
  canonicalBytes,
  fromHex,
  type IdentitySigner,
  inMemorySigner,
  randomBytes,
  type RandomSource,
  systemRandom,
  toHex,
  wipe,
} from '#concord/crypto';
import { KeyStoreError } from './keystore-error.js';

/**
 * An identity key file whose secret is encrypted under a passphrase:
 *
 *   key  = scrypt(passphrase, salt, N, r, p, 32 bytes)        (salt: 16 random bytes)
 *   ct   = AES-256-GCM(key, nonce, seed, aad = header)         (nonce: 12 random bytes, 16-byte tag)
 *
 * `header` is the canonical JSON (RFC 8785) of every field but `ciphertext`, so altering the
 * agency id, the public key or the KDF parameters fails decryption just as altering the
 * ciphertext does. docs/security.md ("Keys") describes the format.
 */
export const ENCRYPTED_KEY_FILE_FORMAT = 'concord-identity-encrypted/1';

export interface ScryptParams {
  readonly name: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** What new files use: 2^17 × 8 × 128 B = 128 MiB of memory, about half a second per attempt. */
export const SCRYPT_DEFAULTS: ScryptParams = Object.freeze({
  name: 'scrypt',
  N: 2 ** 17,
  r: 8,
  p: 1,
});

/** What a read accepts: no weaker than the floor, and no file can make us spend more than 1 GiB. */
const MIN_LOG_N = 15;
const MAX_LOG_N = 20;
const MAX_MEMORY = 1024 * 1024 * 1024;
const MIN_PASSPHRASE_LENGTH = 12;

interface EncryptedKeyFileJson {
  readonly format: typeof ENCRYPTED_KEY_FILE_FORMAT;
  readonly agencyId: string;
  readonly publicKey: string; // hex, 32 bytes
  readonly kdf: ScryptParams;
  readonly salt: string; // hex, 16 bytes
  readonly aead: 'aes-256-gcm';
  readonly nonce: string; // hex, 12 bytes
  readonly ciphertext: string; // hex, 32-byte seed then 16-byte tag
}

type Header = Omit<EncryptedKeyFileJson, 'ciphertext'>;

function deriveKey(passphrase: string, salt: Uint8Array, kdf: ScryptParams): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    // node's default maxmem (32 MiB) is below what N = 2^17 needs; allow what the params need.
    maxmem: 128 * kdf.N * kdf.r + 16 * 1024 * 1024,
  });
}

/** Writes a new encrypted key file (owner-only, never over an existing file). */
export function writeEncryptedKeyFile(
  path: string,
  agencyId: string,
  seed: Uint8Array,
  passphrase: string,
  kdf: ScryptParams = SCRYPT_DEFAULTS,
  rng: RandomSource = systemRandom,
): IdentitySigner {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH)
    throw new KeyStoreError(
      'weak-passphrase',
      `the passphrase for ${path} must be at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  const signer = inMemorySigner(seed, 'encrypted-file');
  const header: Header = {
    format: ENCRYPTED_KEY_FILE_FORMAT,
    agencyId,
    publicKey: toHex(signer.publicKey),
    kdf: { name: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p },
    salt: toHex(randomBytes(rng, 16)),
    aead: 'aes-256-gcm',
    nonce: toHex(randomBytes(rng, 12)),
  };
  const key = deriveKey(passphrase, fromHex(header.salt), header.kdf);
  const cipher = createCipheriv('aes-256-gcm', key, fromHex(header.nonce));
  cipher.setAAD(canonicalBytes(header));
  const ciphertext = Buffer.concat([cipher.update(seed), cipher.final(), cipher.getAuthTag()]);
  wipe(key);
  const json: EncryptedKeyFileJson = { ...header, ciphertext: toHex(ciphertext) };
  try {
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new KeyStoreError('key-exists', `${path} already exists (EEXIST); not overwritten`);
    throw e;
  }
  chmodSync(path, 0o600);
  return signer;
}

/** The public part of an encrypted key file, read without the passphrase. */
export function readEncryptedKeyFileHeader(path: string): {
  agencyId: string;
  publicKey: Uint8Array;
} {
  const { header } = parse(path);
  return { agencyId: header.agencyId, publicKey: fromHex(header.publicKey) };
}

/** Decrypts an encrypted key file into an in-memory signer. */
export function readEncryptedKeyFile(
  path: string,
  passphrase: string,
): { agencyId: string; signer: IdentitySigner; seed: Uint8Array } {
  const { header, ciphertext } = parse(path);
  const key = deriveKey(passphrase, fromHex(header.salt), header.kdf);
  let seed: Uint8Array;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, fromHex(header.nonce));
    decipher.setAAD(canonicalBytes(header));
    decipher.setAuthTag(ciphertext.subarray(32));
    seed = new Uint8Array(
      Buffer.concat([decipher.update(ciphertext.subarray(0, 32)), decipher.final()]),
    );
  } catch {
    // GCM cannot tell a wrong key from altered bytes; both mean "do not use this file as it is".
    throw new KeyStoreError(
      'decryption-failed',
      `cannot decrypt identity key file ${path}: wrong passphrase, or the file was altered`,
    );
  } finally {
    wipe(key);
  }
  const signer = inMemorySigner(seed, 'encrypted-file');
  if (toHex(signer.publicKey) !== header.publicKey)
    throw new KeyStoreError('key-mismatch', `${path}: public key does not match the secret key`);
  return { agencyId: header.agencyId, signer, seed };
}

function parse(path: string): { header: Header; ciphertext: Uint8Array } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new KeyStoreError(
      'malformed-key-file',
      `cannot read identity key file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  let json: Partial<Record<keyof EncryptedKeyFileJson, unknown>>;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new KeyStoreError(
      'malformed-key-file',
      `${path} is not valid JSON (truncated or damaged identity key file)`,
    );
  }
  const bad = (what: string): KeyStoreError =>
    new KeyStoreError('malformed-key-file', `${path}: ${what}`);
  if (json === null || typeof json !== 'object' || json.format !== ENCRYPTED_KEY_FILE_FORMAT)
    throw bad(`not an encrypted Concord identity key file (format ${ENCRYPTED_KEY_FILE_FORMAT})`);
  if (typeof json.agencyId !== 'string' || json.agencyId === '') throw bad('agencyId is missing');
  const hex = (field: keyof EncryptedKeyFileJson, bytes: number): string => {
    const v = json[field];
    if (typeof v !== 'string' || !/^[0-9a-f]*$/.test(v) || v.length !== bytes * 2)
      throw bad(`${field} must be ${bytes} bytes of lowercase hex`);
    return v;
  };
  const kdf = json.kdf as Partial<ScryptParams> | undefined;
  if (
    kdf === undefined ||
    kdf === null ||
    kdf.name !== 'scrypt' ||
    !Number.isInteger(kdf.N) ||
    !Number.isInteger(kdf.r) ||
    !Number.isInteger(kdf.p) ||
    Object.keys(kdf).length !== 4
  )
    throw bad('kdf must be {"name":"scrypt","N","r","p"}');
  const { N, r, p } = kdf as ScryptParams;
  const logN = Math.log2(N);
  if (
    !Number.isInteger(logN) ||
    logN < MIN_LOG_N ||
    logN > MAX_LOG_N ||
    r < 8 ||
    r > 32 ||
    p < 1 ||
    p > 16 ||
    128 * N * r > MAX_MEMORY
  )
    throw bad(`kdf parameters out of range (N=2^${MIN_LOG_N}..2^${MAX_LOG_N}, r=8..32, p=1..16)`);
  if (json.aead !== 'aes-256-gcm') throw bad('aead must be "aes-256-gcm"');
  const header: Header = {
    format: ENCRYPTED_KEY_FILE_FORMAT,
    agencyId: json.agencyId,
    publicKey: hex('publicKey', 32),
    kdf: { name: 'scrypt', N, r, p },
    salt: hex('salt', 16),
    aead: 'aes-256-gcm',
    nonce: hex('nonce', 12),
  };
  return { header, ciphertext: fromHex(hex('ciphertext', 48)) };
}
