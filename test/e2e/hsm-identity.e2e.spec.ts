import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { parseConsortium } from '#concord/consortium';
import { readCatalogueDirectory } from '#concord/protocol';
import { verifySeal } from '#concord/transcript';
import { startNodeProcess, type Spawned } from '../../apps/agency-node/src/demo/processes.js';
import { builtEntry } from '../../apps/agency-node/src/demo/repo-paths.js';
import { SOFTHSM_MODULE, ThrowawaySoftHsm } from '../support/softhsm.js';
import { type Report, runRevenueReport } from '../support/revenue-report.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

/**
 * A consortium whose three nodes hold their identity keys in SoftHSM2 runs a report: each
 * agency's key is migrated from the demo's plain key file into its own token with
 * `concord keys import`, the plain files are deleted, and three real node processes sign their
 * logins, session keys and seals with CKM_EDDSA in the token.
 */
describe('identity keys in an HSM (SoftHSM2) end to end', { timeout: 60_000 }, () => {
  let run: RunningConsortium;
  const hsm = new ThrowawaySoftHsm();
  const nodes: Spawned[] = [];

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '7171', startNodes: false });
    for (const [i, agency] of run.consortium.agencies.entries()) {
      const pin = `${4000 + i}${i}${i}`;
      const pinFile = join(run.dir, `${agency.id}.pin`);
      writeFileSync(pinFile, `${pin}\n`, { mode: 0o600 });
      hsm.initToken(`concord-${agency.id}`, pin);
      execFileSync(
        process.execPath,
        [
          builtEntry('cli'),
          'keys',
          'import',
          '--from-plain-file',
          agency.keyFile,
          '--store',
          'pkcs11',
          '--module',
          SOFTHSM_MODULE,
          '--token-label',
          `concord-${agency.id}`,
          '--key-label',
          'identity',
          '--pin-file',
          pinFile,
        ],
        { env: { ...process.env, ...hsm.env }, stdio: 'pipe' },
      );
      // From here on the secret exists only inside the token.
      rmSync(agency.keyFile);
      const config = JSON.parse(readFileSync(agency.configFile, 'utf8')) as Record<string, unknown>;
      delete config.identityKeyFile;
      config.identityKey = {
        store: 'pkcs11',
        module: SOFTHSM_MODULE,
        tokenLabel: `concord-${agency.id}`,
        keyLabel: 'identity',
        pinFile,
      };
      writeFileSync(agency.configFile, JSON.stringify(config, null, 2));
      nodes.push(startNodeProcess(agency.configFile, { LOG_LEVEL: 'info', ...hsm.env }));
    }
    await run.admin.waitForAgencies();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await run?.stop();
    rmSync(hsm.dir, { recursive: true, force: true });
  });

  it('runs a report whose transcript is sealed by the keys the consortium pins', async () => {
    for (const node of nodes) {
      expect(node.output()).toMatch(/identity key: pkcs11 token "concord-[a-z-]+" key "identity"/);
      expect(node.output()).not.toMatch(/DEMO-ONLY/);
    }
    const report: Report = await runRevenueReport(run.client, run.serviceDate, 'hsm-e2e-1');
    expect(report.error).toBeNull();
    expect(report.state).toBe('completed');
    expect(report.outputs.length).toBeGreaterThan(0);
    for (const output of report.outputs) {
      expect(output.values.length).toBeGreaterThan(0);
      expect(output.values.every((v) => /^-?\d+$/.test(v))).toBe(true);
    }

    const transcript = (
      await run.client.request<TranscriptExportFile>('GET', `/sessions/${report.id}/transcript`)
    ).body;
    const consortium = parseConsortium(
      JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8')),
    );
    const audit = verifyTranscriptExport(
      transcript,
      consortium,
      readCatalogueDirectory('protocols'),
    );
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
    expect(audit.checks.find((c) => c.name === 'seals')?.ok).toBe(true);
    // And directly: three seals, each the pinned key's signature over the head.
    expect(transcript.seals).toHaveLength(3);
    for (const seal of transcript.seals) {
      const agency = consortium.agencies.find((a) => a.party === seal.party)!;
      expect(verifySeal(agency.identityKey, report.id, seal.headHash, seal.signature)).toBe(true);
    }
  });
});
