import { ed25519 } from '@noble/curves/ed25519.js';
import {
  type IdentitySigner,
  type KeyCustody,
  randomBytes,
  type RandomSource,
  wipe,
} from '#concord/crypto';
import {
  readEncryptedKeyFile,
  readEncryptedKeyFileHeader,
  writeEncryptedKeyFile,
} from './encrypted-key-file.js';
import type { IdentityKeyConfig } from './identity-key-config.js';
import { readPlainKeyFile, writePlainKeyFile } from './plain-key-file.js';
import type { Pkcs11KeyLocation } from './pkcs11-config.js';
import {
  generatePkcs11Identity,
  importPkcs11Identity,
  openPkcs11Identity,
} from './pkcs11-identity.js';
import { readSecret } from './secret-source.js';

/** An identity opened from its store: close it at shutdown (a PKCS#11 store logs out). */
export interface OpenedIdentity {
  /** The agency the key was made for, as the store records it (undefined: not recorded). */
  readonly agencyId: string | undefined;
  readonly signer: IdentitySigner;
  close(): void;
}

/** What can be shown about a key without using it. */
export interface PublicIdentity {
  readonly agencyId: string | undefined;
  readonly publicKey: Uint8Array;
  readonly custody: KeyCustody;
}

function location(config: Extract<IdentityKeyConfig, { store: 'pkcs11' }>): Pkcs11KeyLocation {
  return {
    module: config.module,
    tokenLabel: config.tokenLabel,
    keyLabel: config.keyLabel,
    pin: config.pin,
  };
}

const inMemory = (agencyId: string, signer: IdentitySigner): OpenedIdentity => ({
  agencyId,
  signer,
  close: () => undefined,
});

/** Opens the signer of a configured store (reads the passphrase or PIN where it is kept). */
export function openIdentityKey(
  config: IdentityKeyConfig,
  env: NodeJS.ProcessEnv = process.env,
): OpenedIdentity {
  switch (config.store) {
    case 'plain-file': {
      const { agencyId, signer, seed } = readPlainKeyFile(config.file);
      wipe(seed);
      return inMemory(agencyId, signer);
    }
    case 'encrypted-file': {
      const passphrase = readSecret(config.passphrase, 'passphrase', env);
      const { agencyId, signer, seed } = readEncryptedKeyFile(config.file, passphrase);
      wipe(seed);
      return inMemory(agencyId, signer);
    }
    case 'pkcs11':
      return openPkcs11Identity(location(config), env);
  }
}

/**
 * Makes a new identity key in the store. A PKCS#11 token generates it itself; the file stores
 * draw the seed from `rng`. Nothing is ever overwritten.
 */
export function generateIdentityKey(
  config: IdentityKeyConfig,
  agencyId: string,
  rng: RandomSource,
  env: NodeJS.ProcessEnv = process.env,
): OpenedIdentity {
  if (config.store === 'pkcs11') return generatePkcs11Identity(location(config), agencyId, env);
  const seed = randomBytes(rng, 32);
  try {
    return importIdentityKey(config, agencyId, seed, env);
  } finally {
    wipe(seed);
  }
}

/** Stores an existing seed (migration from a plain key file or a hex seed). */
export function importIdentityKey(
  config: IdentityKeyConfig,
  agencyId: string,
  seed: Uint8Array,
  env: NodeJS.ProcessEnv = process.env,
): OpenedIdentity {
  switch (config.store) {
    case 'plain-file':
      writePlainKeyFile(config.file, agencyId, seed);
      return openIdentityKey(config, env);
    case 'encrypted-file': {
      const passphrase = readSecret(config.passphrase, 'passphrase', env);
      return inMemory(agencyId, writeEncryptedKeyFile(config.file, agencyId, seed, passphrase));
    }
    case 'pkcs11':
      return importPkcs11Identity(
        location(config),
        agencyId,
        seed,
        ed25519.getPublicKey(seed),
        env,
      );
  }
}

/** The public key and agency of a stored key; an encrypted file needs no passphrase for this. */
export function readPublicIdentity(
  config: IdentityKeyConfig,
  env: NodeJS.ProcessEnv = process.env,
): PublicIdentity {
  if (config.store === 'encrypted-file') {
    const { agencyId, publicKey } = readEncryptedKeyFileHeader(config.file);
    return { agencyId, publicKey, custody: 'encrypted-file' };
  }
  const opened = openIdentityKey(config, env);
  try {
    return {
      agencyId: opened.agencyId,
      publicKey: opened.signer.publicKey,
      custody: opened.signer.custody,
    };
  } finally {
    opened.close();
  }
}
