import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromHex, type IdentitySigner, systemRandom, toHex, wipe } from '#concord/crypto';
import { ConfigurationError } from '#concord/errors';
import {
  describeIdentityKeyConfig,
  generateIdentityKey,
  generatePkcs11Kek,
  type IdentityKeyConfig,
  importIdentityKey,
  openIdentityKey,
  type PublicIdentity,
  readEncryptedKeyFileHeader,
  readPlainKeyFile,
  readPublicIdentity,
  readSecret,
} from '#concord/keystore';
import { type KeyStoreFlags, keyStoreFromFlags } from './key-store-options.js';

const AGENCY_ID = /^[a-z][a-z0-9-]{1,62}$/;

function agencyOption(agency: string | undefined, setting = '--agency'): string {
  if (agency === undefined || !AGENCY_ID.test(agency))
    throw new ConfigurationError({
      setting,
      requirement:
        'an agency id: a lowercase letter, then 1 to 62 lowercase letters, digits or dashes',
      ...(agency === undefined ? {} : { shown: JSON.stringify(agency) }),
    });
  return agency;
}

function printIdentity(store: IdentityKeyConfig, identity: PublicIdentity, verb: string): void {
  process.stdout.write(
    `${verb} ${describeIdentityKeyConfig(store)}\n` +
      `agency ${identity.agencyId ?? '(not recorded)'}\n` +
      `public key ${toHex(identity.publicKey)}\n` +
      `custody ${identity.custody}${identity.custody === 'plain-file' ? ' (DEMO-ONLY plaintext key)' : ''}\n`,
  );
}

/**
 * `concord keys generate`: a new identity key in any store. `--out FILE` without `--store` is
 * the demo's form and writes a DEMO-ONLY plain key file.
 */
export function keysGenerate(options: KeyStoreFlags & { agency: string; out?: string }): void {
  const agencyId = agencyOption(options.agency);
  const store = keyStoreFromFlags({
    ...options,
    store: options.store ?? (options.out !== undefined ? 'plain-file' : undefined),
    file: options.file ?? options.out,
  });
  const identity = generateIdentityKey(store, agencyId, systemRandom);
  try {
    printIdentity(
      store,
      { agencyId, publicKey: identity.signer.publicKey, custody: identity.signer.custody },
      'generated',
    );
  } finally {
    identity.close();
  }
}

/**
 * `concord keys import`: an existing key into a store, from a plain key file (`--from-plain-file`,
 * the migration path off the demo's key files) or from a hex seed read from a file or an
 * environment variable (`--seed-file`, `--seed-env`; never a command-line value).
 */
export function keysImport(
  options: KeyStoreFlags & {
    agency?: string;
    fromPlainFile?: string;
    seedFile?: string;
    seedEnv?: string;
  },
): void {
  const sources = [options.fromPlainFile, options.seedFile, options.seedEnv].filter(
    (s) => s !== undefined,
  );
  if (sources.length !== 1)
    throw new ConfigurationError({
      setting: '--from-plain-file, --seed-file, --seed-env',
      requirement: 'given exactly one (where the key to import is)',
    });
  let agencyId: string;
  let seed: Uint8Array;
  if (options.fromPlainFile !== undefined) {
    const plain = readPlainKeyFile(resolve(options.fromPlainFile));
    if (options.agency !== undefined && options.agency !== plain.agencyId)
      throw new ConfigurationError({
        setting: '--agency',
        requirement: `the agency of the key file (${plain.agencyId}), or left out`,
        shown: JSON.stringify(options.agency),
      });
    agencyId = plain.agencyId;
    seed = plain.seed;
  } else {
    agencyId = agencyOption(options.agency);
    const hex = readSecret(
      options.seedFile !== undefined
        ? { file: resolve(options.seedFile) }
        : { env: options.seedEnv as string },
      'hex seed',
    ).trim();
    if (!/^[0-9a-fA-F]{64}$/.test(hex))
      throw new ConfigurationError({
        setting: options.seedFile !== undefined ? '--seed-file' : '--seed-env',
        requirement: 'a 32-byte Ed25519 seed in hex (64 hex digits)',
      });
    seed = fromHex(hex.toLowerCase(), 32);
  }
  const store = keyStoreFromFlags(options);
  try {
    const identity = importIdentityKey(store, agencyId, seed);
    try {
      printIdentity(
        store,
        { agencyId, publicKey: identity.signer.publicKey, custody: identity.signer.custody },
        'imported into',
      );
    } finally {
      identity.close();
    }
  } finally {
    wipe(seed);
  }
}

/** `concord keys show-public`: the agency, public key and custody of a stored key. */
export function keysShowPublic(options: KeyStoreFlags): void {
  // An encrypted file's public key and agency are in its clear header: no passphrase is needed,
  // so none is asked for (the placeholder variable is never read).
  const needsNoPassphrase =
    options.store === 'encrypted-file' &&
    options.passphraseEnv === undefined &&
    options.passphraseFile === undefined;
  const store = keyStoreFromFlags(
    needsNoPassphrase ? { ...options, passphraseEnv: 'CONCORD_NOT_NEEDED' } : options,
  );
  printIdentity(store, readPublicIdentity(store), 'key in');
}

/**
 * What `consortium init` pins for one agency, from `spec`: a 64-hex public key (with `agencyId`
 * given), a plain or encrypted key file (the public key is in the clear; no passphrase needed),
 * or an agency node configuration file (its identity key store is opened: a PKCS#11 token needs
 * its PIN where the configuration says).
 */
export function publicIdentityOf(
  spec: string,
  agencyId: string | undefined,
  loadStoreOfNodeConfig: (path: string) => { agencyId: string; store: IdentityKeyConfig },
  setting: string,
): { agencyId: string; publicKey: Uint8Array } {
  if (/^[0-9a-f]{64}$/.test(spec))
    return { agencyId: agencyOption(agencyId, `${setting}-id`), publicKey: fromHex(spec, 32) };
  const path = resolve(spec);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigurationError({
      setting,
      requirement:
        'a 64-hex public key, a key file (plain or encrypted) or an agency node configuration file',
      shown: `${spec}: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  let found: { agencyId: string | undefined; publicKey: Uint8Array };
  if (json.format === 'concord-identity/1')
    found = readPublicIdentity({ store: 'plain-file', file: path });
  else if (json.format === 'concord-identity-encrypted/1')
    found = readEncryptedKeyFileHeader(path); // the header is read without the passphrase
  else {
    const node = loadStoreOfNodeConfig(path);
    const read = readPublicIdentity(node.store);
    found = { agencyId: read.agencyId ?? node.agencyId, publicKey: read.publicKey };
  }
  const id = agencyId ?? found.agencyId;
  return { agencyId: agencyOption(id, `${setting}-id`), publicKey: found.publicKey };
}

/**
 * `concord keys generate-kek`: an AES-256 key-encryption key generated in a PKCS#11 token (never
 * extractable), for a node's `atRest.kek.pkcs11`.
 */
export function keysGenerateKek(options: KeyStoreFlags): void {
  const store = keyStoreFromFlags({ ...options, store: 'pkcs11' });
  if (store.store !== 'pkcs11') throw new Error('unreachable: parsed as pkcs11');
  const kek = generatePkcs11Kek(store);
  try {
    process.stdout.write(
      `generated AES-256 KEK ${kek.id} in ${describeIdentityKeyConfig(store)}\n` +
        `node config: "atRest": { "kek": { "pkcs11": { "tokenLabel": ${JSON.stringify(store.tokenLabel)}, "keyLabel": ${JSON.stringify(store.keyLabel)}, … "pinEnv" or "pinFile" } } }\n`,
    );
  } finally {
    kek.close();
  }
}

/**
 * A key a signing command is given (`keys rotate --old-key/--new-key`, `consortium revoke
 * --signer-key`): a DEMO-ONLY plain key file, or an agency node configuration file whose
 * `identityKey` names any store (an encrypted file's passphrase or a token's PIN is then read as
 * the node reads it). The signer stays open until the command's process ends.
 */
export function openSigningKey(
  file: string,
  setting: string,
  loadStoreOfNodeConfig: (path: string) => { agencyId: string; store: IdentityKeyConfig },
): { agencyId: string; signer: IdentitySigner } {
  const path = resolve(file);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigurationError({
      setting,
      requirement: 'a plain key file or an agency node configuration file (any key store)',
      shown: `${file}: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  if (json.format === 'concord-identity/1') {
    const { agencyId, signer, seed } = readPlainKeyFile(path);
    wipe(seed);
    return { agencyId, signer };
  }
  if (json.format === 'concord-identity-encrypted/1')
    throw new ConfigurationError({
      setting,
      requirement:
        'a plain key file or a node configuration: name an encrypted key file through a node configuration (its identityKey gives the passphrase source)',
      shown: file,
    });
  const node = loadStoreOfNodeConfig(path);
  const opened = openIdentityKey(node.store);
  if (opened.agencyId !== undefined && opened.agencyId !== node.agencyId) {
    opened.close();
    throw new ConfigurationError({
      setting,
      requirement: `a key of ${node.agencyId} (the configuration's agency)`,
      shown: opened.agencyId,
    });
  }
  return { agencyId: node.agencyId, signer: opened.signer };
}
