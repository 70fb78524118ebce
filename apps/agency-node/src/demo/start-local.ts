import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCatalogueDirectory } from '#concord/protocol';
import { startCoordinatorProcess, startNodeProcess, type Spawned } from './processes.js';
import { pointNodeAt } from './point-node-at.js';
import { rememberDemoTokens, revokePreviousDemoTokens } from './demo-tokens.js';
import { ReportClient } from './report-client.js';
import { sealKeptDemoNode } from './seal-kept-demo.js';
import { repoRoot } from './repo-paths.js';
import { createSyntheticConsortium, isRefusalBeforeCharge } from './synthetic-consortium.js';
import { isoDate } from '../connectors/connector.js';

const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

/**
 * `npm start`: a coordinator serving the dashboard and three agency nodes over the medium
 * synthetic city, with every catalogue report run once so the dashboard has something to show.
 * State lives in `.data/start` (keys, the city's files, the embedded database) and is reused by
 * the next start. Prints the URL and fresh analyst and auditor tokens (revoking those the previous
 * start printed); runs until interrupted.
 */
export async function startLocal(options: {
  port: number;
  seed: string;
  /** The three nodes serve their metrics on this port and the next two. */
  metricsPort?: number;
}): Promise<void> {
  const root = repoRoot();
  const dir = join(root, '.data', 'start');
  const protocolsDir = join(root, 'protocols');
  const url = `http://127.0.0.1:${options.port}`;
  const fresh = !existsSync(join(dir, 'consortium.json'));
  if (fresh) {
    out(
      `Setting up the medium synthetic city (seed ${options.seed}) and three agencies in ${dir}...`,
    );
    createSyntheticConsortium({
      dir,
      seed: options.seed,
      scale: 'medium',
      coordinatorUrl: url,
      protocolsDir,
    });
  }
  const tokenFile = join(dir, 'admin-token');
  if (!existsSync(tokenFile))
    writeFileSync(tokenFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const adminToken = readFileSync(tokenFile, 'utf8').trim();

  const processes: Spawned[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      out('\nStopping...');
      // Exit whether or not every child stopped cleanly: the signal asked for it (exit 1 if not).
      stopAll().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  try {
    const coordinator = await startCoordinatorProcess({
      ADMIN_TOKEN: adminToken,
      PORT: String(options.port),
      CONSORTIUM_FILE: join(dir, 'consortium.json'),
      PUBLIC_DATA_DIR: join(dir, 'city', 'public'),
      PROTOCOLS_DIR: protocolsDir,
      DATA_DIR: join(dir, 'coordinator'),
      LOG_LEVEL: 'warn',
    });
    processes.push(coordinator);
    for (const [i, id] of ['metro-transit', 'farepay', 'city-planning'].entries()) {
      const config = join(dir, `${id}.node.json`);
      // A directory kept from before encryption at rest: its ledgers are sealed once, here.
      sealKeptDemoNode(config, join(dir, 'keys', `${id}.kek`), (text) =>
        process.stdout.write(text),
      );
      // The coordinator may listen elsewhere than at the first start (--port, or 0 for any).
      pointNodeAt(config, coordinator.url);
      const metrics =
        options.metricsPort === undefined
          ? {}
          : { CONCORD_METRICS_PORT: String(options.metricsPort + i) };
      processes.push(startNodeProcess(config, { LOG_LEVEL: 'warn', ...metrics }));
    }
    const admin = new ReportClient(coordinator.url, adminToken);
    await admin.waitForAgencies();
    const demoTokens = join(dir, 'demo-tokens.json');
    const revoked = await revokePreviousDemoTokens(admin, demoTokens);
    if (revoked > 0) out(`Revoked the ${revoked} demo tokens the previous start printed.`);
    const issuedAnalyst = await admin.issueToken('analyst', 'analyst');
    const issuedAuditor = await admin.issueToken('auditor', 'auditor');
    rememberDemoTokens(demoTokens, [issuedAnalyst.id, issuedAuditor.id]);
    const analyst = issuedAnalyst.client;
    const auditor = issuedAuditor.client;

    const existing = await admin.request<unknown[]>('GET', '/reports?limit=1');
    if (existing.body.length === 0) {
      out('Running every catalogue report once, so the dashboard has results to show...');
      const manifest = JSON.parse(readFileSync(join(dir, 'city', 'manifest.json'), 'utf8')) as {
        serviceDates?: string[];
      };
      const first = manifest.serviceDates?.[0];
      const date = first && /^\d{8}$/.test(first) ? isoDate(first) : '2026-03-10';
      await Promise.all(
        readCatalogueDirectory(protocolsDir)
          .entries()
          .map(async (e) => {
            const created = await analyst.request<{ id: string }>('POST', '/reports', {
              protocol: e.analysis.definition.id,
              parameters: { serviceDate: date },
              budget: '1/2',
            });
            // A grid too large for a session on this city, or a week or 30 days the agencies'
            // files do not cover (the medium city holds one day), is refused before any charge.
            const refusal = created.body as unknown as { code?: string; detail?: string };
            if (created.status === 422 && isRefusalBeforeCharge(refusal.code)) {
              out(`  ${e.analysis.definition.id}: not run on this city: ${refusal.detail}`);
              return;
            }
            await analyst.waitForReport(created.body.id);
          }),
      );
    }
    out();
    out(`Concord is running: open ${coordinator.url}/ and sign in with a token.`);
    out(`  analyst token: ${analyst.token}`);
    out(`  auditor token: ${auditor.token}`);
    out(`  admin token:   in ${tokenFile}`);
    out(`  API docs:      ${coordinator.url}/api/docs`);
    out(`  metrics:       ${coordinator.url}/metrics`);
    if (options.metricsPort !== undefined)
      out(
        `  node metrics:  http://127.0.0.1:${options.metricsPort}/metrics, ports ${options.metricsPort + 1} and ${options.metricsPort + 2}`,
      );
    out('Press Ctrl-C to stop.');
  } catch (e) {
    out(`start failed: ${e instanceof Error ? e.message : String(e)}`);
    for (const p of processes) out(p.output().slice(-2000));
    await stopAll();
    process.exitCode = 1;
  }
}
