import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { fromHex, type IdentitySigner, inMemorySigner, toHex } from '#concord/crypto';
import { KeyStoreError } from './keystore-error.js';

/**
 * The DEMO-ONLY plaintext identity key file (`concord-identity/1`): the secret in hex, protected
 * by nothing but its mode (0600). Kept so the demo runs with no setup; an agency's real key lives
 * in an encrypted file or an HSM.
 */
export const PLAIN_KEY_FILE_FORMAT = 'concord-identity/1';

/** Said wherever a plain key file is used, so nobody mistakes it for a production setup. */
export const DEMO_ONLY_WARNING = 'DEMO-ONLY plaintext key file: the secret key is not encrypted';

interface PlainKeyFileJson {
  readonly format: typeof PLAIN_KEY_FILE_FORMAT;
  readonly agencyId: string;
  readonly publicKey: string;
  readonly secretKey: string;
}

/** Writes a new plain key file (owner-only, never over an existing file). */
export function writePlainKeyFile(path: string, agencyId: string, seed: Uint8Array): void {
  const json: PlainKeyFileJson = {
    format: PLAIN_KEY_FILE_FORMAT,
    agencyId,
    publicKey: toHex(ed25519.getPublicKey(seed)),
    secretKey: toHex(seed),
  };
  try {
    writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      throw new KeyStoreError('key-exists', `${path} already exists (EEXIST); not overwritten`);
    throw e;
  }
  chmodSync(path, 0o600);
}

/** Reads a plain key file; `seed` is returned for migration into a real store. */
export function readPlainKeyFile(path: string): {
  agencyId: string;
  signer: IdentitySigner;
  seed: Uint8Array;
} {
  let json: Partial<PlainKeyFileJson>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Partial<PlainKeyFileJson>;
  } catch (e) {
    throw new KeyStoreError(
      'malformed-key-file',
      `cannot read identity key file ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (
    json?.format !== PLAIN_KEY_FILE_FORMAT ||
    typeof json.agencyId !== 'string' ||
    typeof json.secretKey !== 'string'
  )
    throw new KeyStoreError('malformed-key-file', `${path} is not a Concord identity key file`);
  let seed: Uint8Array;
  try {
    seed = fromHex(json.secretKey, 32);
  } catch {
    throw new KeyStoreError('malformed-key-file', `${path} holds a malformed secret key`);
  }
  const signer = inMemorySigner(seed, 'plain-file');
  if (json.publicKey !== toHex(signer.publicKey))
    throw new KeyStoreError('key-mismatch', `${path}: public key does not match the secret key`);
  return { agencyId: json.agencyId, signer, seed };
}
