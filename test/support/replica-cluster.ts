import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase, type ScratchDatabase } from '#concord/persistence';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { builtEntry, repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import {
  createSyntheticConsortium,
  type SyntheticConsortium,
} from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { ManagedProcess } from './managed-process.js';
import { TcpBalancer } from './tcp-balancer.js';

/** PostgreSQL and Redis on loopback, as CI and this machine have them (overridable). */
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.CONCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two coordinator replicas (real processes) on one PostgreSQL database and one Redis, behind a
 * TCP balancer that is the one URL the three agency nodes know, over a seeded synthetic city.
 * Each replica can be killed and started again on its own port. Replicas always use the real
 * PostgreSQL: PGlite serves one process only.
 */
export class ReplicaCluster {
  private readonly replicas = new Map<string, ManagedProcess>();
  readonly nodes: ManagedProcess[] = [];
  /** An analyst's client per replica (set by `startReplicaCluster`). */
  readonly clients = new Map<string, ReportClient>();

  constructor(
    readonly setup: SyntheticConsortium,
    readonly dir: string,
    readonly database: ScratchDatabase,
    readonly balancer: TcpBalancer,
    readonly ports: ReadonlyMap<string, number>,
    private readonly env: NodeJS.ProcessEnv,
    readonly adminToken: string,
  ) {}

  /** The replica's own URL (not the balancer's). */
  url(replica: string): string {
    return `http://127.0.0.1:${this.ports.get(replica)!}`;
  }

  replica(name: string): ManagedProcess {
    const p = this.replicas.get(name);
    if (!p) throw new Error(`replica ${name} was never started`);
    return p;
  }

  async startReplica(name: string, env: NodeJS.ProcessEnv = {}): Promise<ManagedProcess> {
    if (this.replicas.get(name)?.alive) throw new Error(`replica ${name} is still running`);
    const p = ManagedProcess.spawn(`replica ${name}`, builtEntry('coordinator'), [], {
      ...this.env,
      REPLICA_ID: name,
      PORT: String(this.ports.get(name)),
      ...env,
    });
    this.replicas.set(name, p);
    await p.waitForOutput('listening on', 120_000);
    return p;
  }

  startNodes(): void {
    for (const agency of this.setup.consortium.agencies)
      this.nodes.push(
        ManagedProcess.spawn(
          `node ${agency.id}`,
          builtEntry('cli'),
          ['node', '--config', agency.configFile],
          { LOG_LEVEL: 'info' },
        ),
      );
  }

  /** Resolves once `replica` sees all three nodes connected (to it or to the other replica). */
  waitForNodes(replica: string, timeoutMs = 60_000): Promise<void> {
    return new ReportClient(this.url(replica), this.adminToken).waitForAgencies(timeoutMs);
  }

  /** Runs SQL on the shared database (the replicas keep running). */
  async sql<Row>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(text, [...params])).rows as Row[];
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    const all = [...this.replicas.values(), ...this.nodes].filter((p) => p.alive);
    await Promise.all(all.map((p) => p.kill('SIGKILL')));
    await this.balancer.close();
    await this.database.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Sets up the city, the database and the balancer over replicas named `names`, starts the first
 * replica only (`firstEnv` added to its environment) and issues an analyst token; the caller
 * starts the rest and the nodes.
 */
export async function startReplicaCluster(options: {
  readonly seed: string;
  readonly names: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly firstEnv?: NodeJS.ProcessEnv;
}): Promise<ReplicaCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-replicas-'));
  const root = repoRoot();
  const ports = new Map<string, number>();
  for (const name of options.names) ports.set(name, await freePort());
  const balancer = await TcpBalancer.start([...ports.values()]);
  const setup = createSyntheticConsortium({
    dir,
    seed: options.seed,
    scale: 'small',
    coordinatorUrl: `http://127.0.0.1:${balancer.port}`,
    protocolsDir: join(root, 'protocols'),
  });
  const database = await createScratchDatabase(POSTGRES_URL);
  const adminToken = randomBytes(24).toString('base64url');
  const cluster = new ReplicaCluster(
    setup,
    dir,
    database,
    balancer,
    ports,
    {
      ADMIN_TOKEN: adminToken,
      CONSORTIUM_FILE: setup.consortium.consortiumFile,
      PUBLIC_DATA_DIR: setup.publicDataDir,
      PROTOCOLS_DIR: join(root, 'protocols'),
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      REDIS_URL,
      // Channels of their own: other test runs may share this Redis.
      REDIS_KEY_PREFIX: `concord-test-${randomBytes(6).toString('hex')}`,
      ...options.env,
    },
    adminToken,
  );
  try {
    await cluster.startReplica(options.names[0], options.firstEnv);
    const admin = new ReportClient(cluster.url(options.names[0]), adminToken);
    const analyst = await admin.withNewToken('replica-analyst', 'analyst');
    for (const name of options.names)
      cluster.clients.set(name, new ReportClient(cluster.url(name), analyst.token));
    return cluster;
  } catch (e) {
    await cluster.stop().catch(() => undefined);
    throw e;
  }
}
