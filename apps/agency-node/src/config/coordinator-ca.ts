import { readFileSync } from 'node:fs';
import { NodeConfigError } from './node-config.js';

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
    throw new NodeConfigError(`cannot read the coordinator CA file ${path} (${code})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new NodeConfigError(`the coordinator CA file ${path} holds no PEM certificate`);
  return pem;
}
