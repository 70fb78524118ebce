import { type Command, Option } from 'commander';
import {
  DEFAULT_PKCS11_MODULE,
  IDENTITY_KEY_STORES,
  type IdentityKeyConfig,
  parseIdentityKeyConfig,
} from '#concord/keystore';

/**
 * The key store flags shared by `concord keys …`. Passphrases and PINs are named, never given:
 * `--passphrase-env VAR` / `--passphrase-file FILE`, `--pin-env VAR` / `--pin-file FILE`, so no
 * secret appears in `ps`, a shell history or a CI log.
 */
export interface KeyStoreFlags {
  store?: string;
  file?: string;
  passphraseEnv?: string;
  passphraseFile?: string;
  module?: string;
  tokenLabel?: string;
  keyLabel?: string;
  pinEnv?: string;
  pinFile?: string;
}

const FLAG_OF: Record<string, string> = {
  store: '--store',
  file: '--file',
  passphraseEnv: '--passphrase-env',
  passphraseFile: '--passphrase-file',
  module: '--module',
  tokenLabel: '--token-label',
  keyLabel: '--key-label',
  pinEnv: '--pin-env',
  pinFile: '--pin-file',
};

/** Adds the store flags to a command; `prefix` names a second store (`--to-store` for import). */
export function addKeyStoreOptions(command: Command, defaultStore?: string): Command {
  const store = new Option('--store <store>', 'where the key lives').choices([
    ...IDENTITY_KEY_STORES,
  ]);
  return command
    .addOption(defaultStore === undefined ? store : store.default(defaultStore))
    .option('--file <file>', 'plain-file / encrypted-file: the key file')
    .option('--passphrase-env <var>', 'encrypted-file: environment variable holding the passphrase')
    .option('--passphrase-file <file>', 'encrypted-file: file holding the passphrase')
    .option('--module <path>', `pkcs11: the PKCS#11 module (default ${DEFAULT_PKCS11_MODULE})`)
    .option('--token-label <label>', 'pkcs11: label of the token')
    .option('--key-label <label>', 'pkcs11: label of the key in the token')
    .option('--pin-env <var>', 'pkcs11: environment variable holding the user PIN')
    .option('--pin-file <file>', 'pkcs11: file holding the user PIN');
}

/** The store the flags name, checked as a node configuration's `identityKey` is. */
export function keyStoreFromFlags(flags: KeyStoreFlags): IdentityKeyConfig {
  const fields = Object.fromEntries(
    Object.keys(FLAG_OF)
      .map((k) => [k, flags[k as keyof KeyStoreFlags]] as const)
      .filter(([, v]) => v !== undefined),
  );
  // Flags of the other stores are ignored rather than refused: one shell alias can carry all.
  const relevant: Record<string, readonly string[]> = {
    'plain-file': ['store', 'file'],
    'encrypted-file': ['store', 'file', 'passphraseEnv', 'passphraseFile'],
    pkcs11: ['store', 'module', 'tokenLabel', 'keyLabel', 'pinEnv', 'pinFile'],
  };
  const keep = relevant[String(flags.store)] ?? ['store'];
  return parseIdentityKeyConfig(
    Object.fromEntries(Object.entries(fields).filter(([k]) => keep.includes(k))),
    '--store',
    process.cwd(),
    undefined,
    (field) => FLAG_OF[field] ?? field,
  );
}
