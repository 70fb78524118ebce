import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A private CA and one server certificate it issued, as PEM files. */
export interface DevCertificates {
  readonly caFile: string;
  /** The CA certificate's PEM text. */
  readonly ca: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * Makes a private CA and a server certificate for `names` (DNS names and IP addresses) with the
 * `openssl` command, P-256 keys. For tests and the Compose demo, not production: the CA's key is
 * deleted once the certificate is signed, so nothing else can ever be issued under it, and only
 * clients given `caFile` trust the server. The server key is written with mode 0600.
 */
export function makeDevCertificates(options: {
  readonly dir: string;
  readonly names: readonly string[];
  readonly days: number;
}): DevCertificates {
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const days = String(options.days);
  const san = options.names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  try {
    openssl(
      'req',
      '-x509',
      ...key,
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      days,
      '-subj',
      '/CN=Concord private CA',
    );
    openssl(
      'req',
      '-new',
      ...key,
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
      '-subj',
      `/CN=${options.names[0]}`,
    );
    writeFileSync(
      at('server.ext'),
      `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      at('server.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      days,
      '-extfile',
      at('server.ext'),
      '-out',
      at('server.pem'),
    );
    chmodSync(at('server.key'), 0o600);
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`openssl could not make the certificates${stderr ? `: ${stderr}` : ''}`);
  } finally {
    for (const f of ['ca.key', 'server.csr', 'server.ext']) rmSync(at(f), { force: true });
  }
  return {
    caFile: at('ca.pem'),
    ca: readFileSync(at('ca.pem'), 'utf8'),
    certFile: at('server.pem'),
    keyFile: at('server.key'),
  };
}
