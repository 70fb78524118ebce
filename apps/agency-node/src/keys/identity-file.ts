import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import {
  fromHex,
  generateIdentityKeyPair,
  type IdentityKeyPair,
  identityFromSecret,
  type IdentitySigner,
  inMemorySigner,
  type RandomSource,
  toHex,
} from '#concord/crypto';
import { ConcordError } from '#concord/errors';

/** An agency's identity key on disk. The secret never leaves this file (mode 0600). */
export interface IdentityFile {
  readonly format: 'concord-identity/1';
  readonly agencyId: string;
  readonly publicKey: string;
  readonly secretKey: string;
}

export class KeyFileError extends ConcordError<'invalid-key-file'> {
  readonly domain = 'agency-node';
  constructor(message: string) {
    super('invalid-key-file', message);
  }
}

export function writeIdentityFile(
  path: string,
  agencyId: string,
  rng: RandomSource,
): IdentityKeyPair {
  const pair = generateIdentityKeyPair(rng);
  const file: IdentityFile = {
    format: 'concord-identity/1',
    agencyId,
    publicKey: toHex(pair.publicKey),
    secretKey: toHex(pair.secretKey),
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return pair;
}

/**
 * Reads a DEMO-ONLY plaintext key file. `secretKey` is returned for migration into a key store
 * (`concord keys import`); everything else signs through `identity`.
 */
export function readIdentityFile(path: string): {
  agencyId: string;
  identity: IdentitySigner;
  secretKey: Uint8Array;
} {
  let json: Partial<IdentityFile>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Partial<IdentityFile>;
  } catch (e) {
    throw new KeyFileError(
      `cannot read identity key file ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (
    json.format !== 'concord-identity/1' ||
    typeof json.agencyId !== 'string' ||
    typeof json.secretKey !== 'string'
  ) {
    throw new KeyFileError(`${path} is not a Concord identity key file`);
  }
  let pair: IdentityKeyPair;
  try {
    pair = identityFromSecret(fromHex(json.secretKey, 32));
  } catch {
    throw new KeyFileError(`${path} holds a malformed secret key`);
  }
  if (json.publicKey !== toHex(pair.publicKey))
    throw new KeyFileError(`${path}: public key does not match the secret key`);
  return {
    agencyId: json.agencyId,
    identity: inMemorySigner(pair.secretKey, 'plain-file'),
    secretKey: pair.secretKey,
  };
}
