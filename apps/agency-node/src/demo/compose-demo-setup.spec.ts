import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodeConfig } from '../config/node-config.js';
import { setUpComposeDemo } from './compose-demo-setup.js';

describe('the Compose demo setup', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'concord-compose-setup-'));
    env = {
      CONFIG_DIR: join(dir, 'config'),
      KEYS_DIR: join(dir, 'keys'),
      PROXY_TLS_DIR: join(dir, 'proxy-tls'),
      PROTOCOLS_DIR: 'protocols',
      COORDINATOR_URL: 'https://proxy:8443',
    };
    setUpComposeDemo(env);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts each agency key and at-rest KEK, mode 0600, in its own directory (its own volume)', () => {
    for (const role of ['transit', 'payments', 'planning']) {
      const files = readdirSync(join(dir, 'keys', role)).sort();
      expect(files).toHaveLength(2);
      expect(files[0]).toMatch(/\.kek$/);
      for (const f of files) expect(statSync(join(dir, 'keys', role, f)).mode & 0o777).toBe(0o600);
    }
  });

  it('writes node configurations that reach the proxy over HTTPS, trusting the stack’s CA', () => {
    for (const role of ['transit', 'payments', 'planning']) {
      const config = loadNodeConfig(join(dir, 'config', 'nodes', `${role}.node.json`));
      expect(config.coordinatorUrl).toBe('https://proxy:8443');
      expect(config.caFile).toBe(join(dir, 'config', 'tls', 'ca.pem'));
      expect(config.identityKeyFile.startsWith(join(dir, 'keys', role))).toBe(true);
      expect(config.ledger!.file).toBe('/data/ledger.json');
      // Sealed under a KEK from the node's key volume, not from its ledger's volume.
      expect(config.atRest?.kek?.keyFile?.startsWith(join(dir, 'keys', role))).toBe(true);
      expect(config.approvedProtocols.length).toBeGreaterThan(0);
    }
  });

  it('issues the proxy a certificate for its names that verifies against the CA, and keeps no CA key', () => {
    const cert = join(dir, 'proxy-tls', 'server.pem');
    const verified = execFileSync(
      'openssl',
      ['verify', '-CAfile', join(dir, 'config', 'tls', 'ca.pem'), cert],
      { encoding: 'utf8' },
    );
    expect(verified).toMatch(/: OK/);
    const san = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-ext', 'subjectAltName'], {
      encoding: 'utf8',
    });
    expect(san).toMatch(/DNS:proxy, DNS:localhost, IP Address:127\.0\.0\.1/);
    expect(statSync(join(dir, 'proxy-tls', 'server.key')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'proxy-tls')).sort()).toEqual([
      'ca.pem',
      'server.key',
      'server.pem',
    ]);
  });

  it('does nothing the second time (a restarted stack keeps its keys)', () => {
    const consortium = readFileSync(join(dir, 'config', 'consortium.json'), 'utf8');
    setUpComposeDemo(env);
    expect(readFileSync(join(dir, 'config', 'consortium.json'), 'utf8')).toBe(consortium);
    expect(JSON.parse(readFileSync(join(dir, 'config', 'demo.json'), 'utf8'))).toEqual({
      serviceDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
    });
  });
});
