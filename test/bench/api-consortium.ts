import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import { startNodeProcess, type Spawned } from '../../apps/agency-node/src/demo/processes.js';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import {
  createSyntheticConsortium,
  type SyntheticConsortium,
} from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { startCoordinatorOnScratchDatabase } from '../support/coordinator-on-scratch-database.js';

export interface ApiConsortium {
  readonly setup: SyntheticConsortium;
  /** The bootstrap admin's client, once the three nodes are connected. */
  readonly admin: ReportClient;
  stop(): Promise<void>;
}

/**
 * A coordinator process (on a scratch PostgreSQL database when DATABASE_URL is set, else
 * in-memory PGlite) and three agency node processes over a seeded synthetic city, for benchmarks
 * that go through the real API.
 */
export async function startApiConsortium(options: {
  readonly name: string;
  readonly scale: 'small' | 'medium';
  readonly ledgerCapRho: string;
  /** Added to the coordinator's environment. */
  readonly coordinatorEnv?: NodeJS.ProcessEnv;
}): Promise<ApiConsortium> {
  const dir = mkdtempSync(join(tmpdir(), `concord-bench-${options.name}-`));
  const root = repoRoot();
  const port = await freePort();
  const setup = createSyntheticConsortium({
    dir,
    seed: '2026',
    scale: options.scale,
    coordinatorUrl: `http://127.0.0.1:${port}`,
    protocolsDir: join(root, 'protocols'),
    ledgerCapRho: options.ledgerCapRho,
  });
  const spawned: Spawned[] = [];
  let dropDatabase = async (): Promise<void> => {};
  const stop = async (): Promise<void> => {
    await Promise.all(spawned.map((s) => s.stop()));
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = await startCoordinatorOnScratchDatabase({
      PORT: String(port),
      CONSORTIUM_FILE: setup.consortium.consortiumFile,
      PUBLIC_DATA_DIR: setup.publicDataDir,
      PROTOCOLS_DIR: join(root, 'protocols'),
      LEDGER_CAP_RHO: options.ledgerCapRho,
      ...options.coordinatorEnv,
    });
    const { coordinator, adminToken } = started;
    dropDatabase = started.dropDatabase;
    spawned.push(coordinator);
    for (const a of setup.consortium.agencies)
      spawned.push(startNodeProcess(a.configFile, { LOG_LEVEL: 'warn' }));
    const admin = new ReportClient(coordinator.url, adminToken);
    await admin.waitForAgencies(120_000);
    return { setup, admin, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
