import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { CoordinatorConfig } from './coordinator-config.js';

/** The PEM certificate chain and private key the coordinator serves HTTPS (and wss) with. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * Reads TLS_CERT_FILE and TLS_KEY_FILE once, at start, and checks that they form a usable pair,
 * so a wrong file stops the process with a message naming the variable rather than failing at
 * the first handshake. Neither the files' content nor the key is ever logged. Undefined when the
 * coordinator serves plain HTTP (configuration validation already checked that it may).
 */
export function readTlsCredentials(config: CoordinatorConfig): TlsCredentials | undefined {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return undefined;
  const cert = readPem('TLS_CERT_FILE', config.TLS_CERT_FILE);
  const key = readPem('TLS_KEY_FILE', config.TLS_KEY_FILE);
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    // OpenSSL's reason (e.g. "key values mismatch"); it never quotes the key.
    const reason = e instanceof Error ? e.message : 'unusable';
    throw new Error(
      `invalid coordinator configuration: TLS_CERT_FILE and TLS_KEY_FILE are not a usable certificate and key (${reason})`,
    );
  }
  return { cert, key };
}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`invalid coordinator configuration: cannot read ${variable} ${path} (${code})`);
  }
}
