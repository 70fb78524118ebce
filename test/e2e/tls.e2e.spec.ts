import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProcess } from '../../apps/agency-node/src/demo/processes.js';
import { runRevenueReport } from '../support/revenue-report.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.js';

/** GET over HTTPS trusting `ca` only (or the public roots): the status, or the TLS error's code. */
function httpsGet(url: string, ca?: string): Promise<{ status?: number; code?: string }> {
  return new Promise((resolve) => {
    get(url, ca ? { ca } : {}, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    }).on('error', (e: NodeJS.ErrnoException) => resolve({ code: e.code }));
  });
}

/**
 * The coordinator serving HTTPS (and wss) from TLS_CERT_FILE and TLS_KEY_FILE, a throwaway CA
 * made by openssl for the test; three node processes given that CA with --ca-file.
 */
describe('TLS between the coordinator, its clients and the agency nodes', () => {
  let certDir: string;
  let certs: TestCertificates;
  let run: RunningConsortium;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'concord-tls-'));
    certs = makeTestCertificates(certDir);
    run = await startRunningConsortium({ seed: '5151', tls: certs });
  }, 120_000);
  afterAll(async () => {
    await run?.stop();
    if (certDir) rmSync(certDir, { recursive: true, force: true });
  });

  it('serves HTTPS that verifies against the CA and fails verification without it', async () => {
    expect(run.coordinator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await httpsGet(`${run.coordinator.url}/health`, certs.ca)).toEqual({ status: 200 });
    const untrusted = await httpsGet(`${run.coordinator.url}/health`);
    expect(untrusted.status).toBeUndefined();
    expect(untrusted.code).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    const plain = await fetch(run.coordinator.url.replace('https:', 'http:') + '/health').then(
      (r) => r.status,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(plain).not.toBe(200);
  });

  it('runs a report with nodes that verified the coordinator with --ca-file', async () => {
    const report = await runRevenueReport(run.client, run.serviceDate, 'tls-report-1');
    expect(report.error).toBeNull();
    expect(report.state).toBe('completed');
  }, 120_000);

  it('runs a JIFF-mode report: the stock JIFF clients verify the coordinator with the same CA', async () => {
    await Promise.all(run.nodes.map((n) => n.stop()));
    const jiffNodes = run.consortium.agencies.map((a) =>
      startNodeProcess(a.configFile, { LOG_LEVEL: 'warn' }, [
        '--engine',
        'jiff',
        '--ca-file',
        certs.caFile,
      ]),
    );
    try {
      await run.admin.waitForAgencies();
      const report = await runRevenueReport(run.client, run.serviceDate, 'tls-jiff-report-1');
      expect(report.error).toBeNull();
      expect(report.state).toBe('completed');
    } finally {
      await Promise.all(jiffNodes.map((n) => n.stop()));
    }
  }, 120_000);

  it('stops a node that does not trust the certificate, in one line naming --ca-file', async () => {
    const node = startNodeProcess(run.consortium.agencies[0].configFile, { LOG_LEVEL: 'warn' });
    const [code] = (await once(node.process, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(node.output()).toMatch(
      /^concord: cannot verify the TLS certificate of the coordinator at https:\/\/127\.0\.0\.1:\d+ \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)[^\n]*--ca-file[^\n]*$/m,
    );
  }, 30_000);

  it('refuses a plain http:// coordinator that is not on loopback before connecting', async () => {
    const original = run.consortium.agencies[1].configFile;
    const config = JSON.parse(readFileSync(original, 'utf8')) as Record<string, unknown>;
    // Next to the original, so the configuration's relative paths still resolve.
    const insecure = join(dirname(original), 'insecure-node.json');
    writeFileSync(
      insecure,
      JSON.stringify({ ...config, coordinatorUrl: 'http://coordinator.invalid:3000' }),
    );
    const node = startNodeProcess(insecure, { LOG_LEVEL: 'warn' });
    const [code] = (await once(node.process, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(node.output().trim()).toBe(
      'configuration error: coordinatorUrl must be an https:// URL, or http:// to this machine only ' +
        '(coordinatorUrl http://coordinator.invalid:3000 is plain HTTP to a host that is not loopback, ' +
        "so the node's traffic would travel in clear: use https:// (with --ca-file for a private CA), " +
        'or pass --allow-insecure-http on a network you trust)',
    );
  }, 30_000);
});
