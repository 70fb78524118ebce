import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError } from '#concord/errors';
import { DEFAULT_PKCS11_MODULE, type Pkcs11KeyLocation } from './pkcs11-config.js';
import type { SecretSource } from './secret-source.js';

/** Where an agency's identity key lives: the three stores, as the node and the CLI use them. */
export type IdentityKeyConfig =
  | { readonly store: 'plain-file'; readonly file: string }
  | { readonly store: 'encrypted-file'; readonly file: string; readonly passphrase: SecretSource }
  | {
      readonly store: 'pkcs11';
      readonly module: string;
      readonly tokenLabel: string;
      readonly keyLabel: string;
      readonly pin: SecretSource;
    };

export const IDENTITY_KEY_STORES = ['plain-file', 'encrypted-file', 'pkcs11'] as const;

const ALLOWED_FIELDS: Record<(typeof IDENTITY_KEY_STORES)[number], readonly string[]> = {
  'plain-file': ['store', 'file'],
  'encrypted-file': ['store', 'file', 'passphraseEnv', 'passphraseFile'],
  pkcs11: ['store', 'module', 'tokenLabel', 'keyLabel', 'pinEnv', 'pinFile'],
};

/**
 * Reads the JSON form (`{ store, file, passphraseEnv | passphraseFile }`, `{ store: 'pkcs11',
 * module?, tokenLabel, keyLabel, pinEnv | pinFile }`, `{ store: 'plain-file', file }`). Relative
 * paths are resolved against `baseDir`. A mistake is one ConfigurationError line naming `setting`
 * (and its field), then `where` (the file), when given.
 */
export function parseIdentityKeyConfig(
  value: unknown,
  setting: string,
  baseDir: string,
  where?: string,
  /** How the operator wrote a field (the CLI's `--token-label` for `tokenLabel`). */
  nameOf: (field: string) => string = (field) => `${setting}.${field}`,
): IdentityKeyConfig {
  const fail = (requirement: string, shown?: unknown, field?: string): never => {
    throw new ConfigurationError({
      setting: `${field === undefined ? setting : nameOf(field)}${where === undefined ? '' : ` in ${where}`}`,
      requirement,
      ...(shown === undefined ? {} : { shown: JSON.stringify(shown) }),
    });
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail(`an object with "store" set to one of ${IDENTITY_KEY_STORES.join(', ')}`);
  const o = value as Record<string, unknown>;
  const store = o.store;
  if (typeof store !== 'string' || !(IDENTITY_KEY_STORES as readonly string[]).includes(store))
    return fail(`one of ${IDENTITY_KEY_STORES.join(', ')}`, store, 'store');
  const known = ALLOWED_FIELDS[store as (typeof IDENTITY_KEY_STORES)[number]];
  const unknown = Object.keys(o).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    return fail(`an object with only the fields ${known.join(', ')} (store ${store})`, unknown);
  const text = (field: string, optional = false): string | undefined => {
    const v = o[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.trim() === '')
      return fail(`a non-empty string (store ${store})`, undefined, field);
    return v;
  };
  const path = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  const secret = (envField: string, fileField: string, what: string): SecretSource => {
    const env = text(envField, true);
    const file = text(fileField, true);
    if ((env === undefined) === (file === undefined))
      return fail(
        `given the ${what} by exactly one of ${nameOf(envField)} (an environment variable) or ${nameOf(fileField)}`,
      );
    if (env !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(env))
      return fail('an environment variable name', env, envField);
    return env !== undefined ? { env } : { file: path(file as string) };
  };
  switch (store) {
    case 'plain-file':
      return { store, file: path(text('file') as string) };
    case 'encrypted-file':
      return {
        store,
        file: path(text('file') as string),
        passphrase: secret('passphraseEnv', 'passphraseFile', 'passphrase'),
      };
    default:
      return {
        store: 'pkcs11',
        module: path(text('module', true) ?? DEFAULT_PKCS11_MODULE),
        tokenLabel: text('tokenLabel') as string,
        keyLabel: text('keyLabel') as string,
        pin: secret('pinEnv', 'pinFile', 'PIN'),
      };
  }
}

/** One line for logs and CLI output; it names the store and says DEMO-ONLY where that applies. */
export function describeIdentityKeyConfig(config: IdentityKeyConfig): string {
  switch (config.store) {
    case 'plain-file':
      return `plain-file ${config.file} (DEMO-ONLY plaintext key file: the secret key is not encrypted; use encrypted-file or pkcs11 outside the demo)`;
    case 'encrypted-file':
      return `encrypted-file ${config.file}`;
    case 'pkcs11':
      return `pkcs11 token "${config.tokenLabel}" key "${config.keyLabel}" (module ${config.module})`;
  }
}

/**
 * Reads a PKCS#11 key location on its own (`{ module?, tokenLabel, keyLabel, pinEnv | pinFile }`),
 * e.g. a node's at-rest KEK in a token. Same rules and messages as the pkcs11 identity store.
 */
export function parsePkcs11KeyLocation(
  value: unknown,
  setting: string,
  baseDir: string,
  where?: string,
): Pkcs11KeyLocation {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || 'store' in value)
    throw new ConfigurationError({
      setting: where === undefined ? setting : `${setting} in ${where}`,
      requirement: 'an object with tokenLabel, keyLabel, pinEnv or pinFile, and optionally module',
    });
  const parsed = parseIdentityKeyConfig({ ...value, store: 'pkcs11' }, setting, baseDir, where);
  if (parsed.store !== 'pkcs11') throw new Error('unreachable: parsed as pkcs11');
  const { module, tokenLabel, keyLabel, pin } = parsed;
  return { module, tokenLabel, keyLabel, pin };
}
