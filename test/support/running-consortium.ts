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
import { startCoordinatorOnScratchDatabase } from './coordinator-on-scratch-database.js';
import type { TestCertificates } from './test-certificates.js';

export interface RunningConsortium extends SyntheticConsortium {
  readonly dir: string;
  readonly coordinator: Spawned & { url: string };
  readonly nodes: Spawned[];
  /** An analyst's client. */
  readonly client: ReportClient;
  /** The bootstrap admin's client (every role). */
  readonly admin: ReportClient;
  /** Where nodes were told the coordinator is (a capture proxy may sit in between). */
  readonly nodeUrl: string;
  stop(): Promise<void>;
}

/**
 * A coordinator process (on a scratch database of the real PostgreSQL when DATABASE_URL is set,
 * else in-memory PGlite) and, unless `startNodes` is false, three agency node processes, over a
 * seeded synthetic city.
 */
export async function startRunningConsortium(options: {
  readonly seed: string;
  readonly scale?: 'small' | 'medium';
  readonly startNodes?: boolean;
  /** Lets a test put a proxy between the nodes and the coordinator. */
  readonly nodeUrl?: (coordinatorPort: number) => Promise<string>;
  readonly env?: NodeJS.ProcessEnv;
  /** Extra environment of the node of each agency (by its index in the consortium). */
  readonly nodeEnv?: (agencyIndex: number) => NodeJS.ProcessEnv;
  /** Serve HTTPS with these; nodes and clients then trust their CA (`--ca-file`). */
  readonly tls?: TestCertificates;
}): Promise<RunningConsortium> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-e2e-'));
  const root = repoRoot();
  const port = await freePort();
  const scheme = options.tls ? 'https' : 'http';
  const nodeUrl = options.nodeUrl ? await options.nodeUrl(port) : `${scheme}://127.0.0.1:${port}`;
  const setup = createSyntheticConsortium({
    dir,
    seed: options.seed,
    scale: options.scale ?? 'small',
    coordinatorUrl: nodeUrl,
    protocolsDir: join(root, 'protocols'),
  });
  let dropDatabase = async (): Promise<void> => {};
  const spawned: Spawned[] = [];
  /** Stops every process started so far, drops the scratch database, removes the directory. */
  const teardown = async (): Promise<void> => {
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
      ...(options.tls
        ? { TLS_CERT_FILE: options.tls.certFile, TLS_KEY_FILE: options.tls.keyFile }
        : {}),
      ...options.env,
    });
    const { coordinator, adminToken } = started;
    dropDatabase = started.dropDatabase;
    spawned.push(coordinator);
    const nodes =
      options.startNodes === false
        ? []
        : setup.consortium.agencies.map((a, i) =>
            startNodeProcess(
              a.configFile,
              { LOG_LEVEL: 'warn', ...options.nodeEnv?.(i) },
              options.tls ? ['--ca-file', options.tls.caFile] : [],
            ),
          );
    spawned.push(...nodes);
    const admin = new ReportClient(coordinator.url, adminToken, options.tls?.ca);
    if (nodes.length > 0) await admin.waitForAgencies();
    const client = await admin.withNewToken('e2e-analyst', 'analyst');
    return {
      ...setup,
      dir,
      coordinator,
      nodes,
      client,
      admin,
      nodeUrl,
      stop: teardown,
    };
  } catch (e) {
    await teardown();
    throw e;
  }
}
