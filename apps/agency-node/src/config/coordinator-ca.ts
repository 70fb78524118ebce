import { readFileSync } from 'node:fs';
import { ConfigurationError } from '#concord/errors';

/**
 * The PEM certificate(s) of the CA that issued the coordinator's certificate (`caFile`,
 * `--ca-file`), read once at start. They replace Node's public roots for the coordinator
 * connection, so a private CA need not be trusted system-wide.
 */
export function readCoordinatorCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError({
      setting: 'caFile',
      requirement: 'a readable PEM file (the CA of the coordinator’s certificate)',
      shown: `${path} (${code})`,
    });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigurationError({
      setting: 'caFile',
      requirement: 'a PEM file holding a certificate',
      shown: path,
    });
  return pem;
}
