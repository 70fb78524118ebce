import { readFileSync } from 'node:fs';
import { KeyStoreError } from './keystore-error.js';

/**
 * Where a passphrase or a PIN comes from: an environment variable or a file, never a command-line
 * value (which `ps` and shell histories show). Exactly one of the two is set.
 */
export type SecretSource = { readonly env: string } | { readonly file: string };

/**
 * Reads the secret. A file's one trailing newline is dropped (editors add it); nothing else is
 * trimmed, so a passphrase may contain spaces. The error names where it looked, never the value.
 */
export function readSecret(
  source: SecretSource,
  what: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  let value: string | undefined;
  if ('env' in source) {
    value = env[source.env];
    if (value === undefined || value === '')
      throw new KeyStoreError(
        'secret-unavailable',
        `the ${what} is read from the environment variable ${source.env}, which is not set`,
      );
    return value;
  }
  try {
    value = readFileSync(source.file, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new KeyStoreError(
      'secret-unavailable',
      `cannot read the ${what} file ${source.file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if (value === '')
    throw new KeyStoreError('secret-unavailable', `the ${what} file ${source.file} is empty`);
  return value;
}
