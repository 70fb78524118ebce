import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { builtEntry, repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import {
  createSyntheticConsortium,
  type SyntheticConsortium,
} from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import {
  type CoordinatorDatabase,
  createCoordinatorDatabase,
  type Sql,
} from './coordinator-database.js';
import { FaultProxy } from './fault-proxy.js';
import { ManagedProcess, type ProcessExit } from './managed-process.js';

export interface FaultConsortiumOptions {
  readonly seed: string;
  readonly scale?: 'small' | 'medium';
  /**
   * Puts a FaultProxy between the coordinator and its database (`databaseLink`), for outages.
   * On PGlite the database then lives in a helper process (PGlite's socket server) instead of
   * inside the coordinator, since an in-process database cannot be taken away.
   */
  readonly databaseProxy?: boolean;
  /** Puts a FaultProxy between the nodes and the coordinator (`nodeLink`), for socket drops. */
  readonly nodeProxy?: boolean;
  /** Environment for every coordinator start (a start's own `env` is added to it). */
  readonly coordinatorEnv?: NodeJS.ProcessEnv;
  /** Environment for every node start (a start's own `env` is added to it). */
  readonly nodeEnv?: NodeJS.ProcessEnv;
  /**
   * Added to the first start of each process only: failpoints armed before the first report,
   * without a restart, e.g. `{ coordinator: armFailpoints('coordinator.released') }`.
   */
  readonly firstStart?: {
    readonly coordinator?: NodeJS.ProcessEnv;
    /** By node index (0, 1, 2). */
    readonly nodes?: readonly (NodeJS.ProcessEnv | undefined)[];
  };
  /** Starts the three nodes and waits until they are connected (default true). */
  readonly startNodes?: boolean;
  /** More configuration in every node's file (e.g. a smaller send window). */
  readonly nodeConfig?: Readonly<Record<string, unknown>>;
}

export interface StartOptions {
  /** Added to this start only, e.g. `{ CONCORD_FAILPOINTS: 'coordinator.released' }`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A coordinator and three agency nodes, all real processes, whose coordinator can be killed and
 * started again on the same database at the same URL: the database outlives coordinator processes
 * (see createCoordinatorDatabase) and the port is fixed, so nodes, which reconnect on their own,
 * find the new process. Optional proxies put database outages and node socket drops under the
 * test's control. Start it with `startFaultConsortium`; `stop()` kills everything and removes it.
 */
export class FaultConsortium {
  private coordinatorProcess: ManagedProcess | undefined;
  private readonly nodeProcesses: (ManagedProcess | undefined)[] = [
    undefined,
    undefined,
    undefined,
  ];

  constructor(
    readonly setup: SyntheticConsortium,
    /** The temporary directory holding the city, keys, configurations, ledgers and PGlite data. */
    readonly dir: string,
    /** The coordinator's URL, the same for every coordinator process. */
    readonly url: string,
    /** Where nodes were told the coordinator is (nodeLink's port when there is one). */
    readonly nodeUrl: string,
    readonly database: CoordinatorDatabase,
    /** Between the coordinator and its database, when `databaseProxy` was asked for. */
    readonly databaseLink: FaultProxy | undefined,
    /** Between the nodes and the coordinator, when `nodeProxy` was asked for. */
    readonly nodeLink: FaultProxy | undefined,
    /** The bootstrap admin's client (every role); its token is in the environment, not the database. */
    readonly admin: ReportClient,
    private readonly coordinatorBaseEnv: NodeJS.ProcessEnv,
    private readonly nodeBaseEnv: NodeJS.ProcessEnv,
  ) {}

  /** An analyst's client (set once the first coordinator is up; its token is in the database). */
  client!: ReportClient;

  /** The last coordinator process started (it may have exited since). */
  get coordinator(): ManagedProcess {
    if (!this.coordinatorProcess) throw new Error('no coordinator was started');
    return this.coordinatorProcess;
  }

  /** The last process started for each node, in party order. */
  get nodes(): readonly ManagedProcess[] {
    return [0, 1, 2].map((index) => this.node(index));
  }

  /** The last process started for node `index` (0, 1, 2: parties 1, 2, 3). */
  node(index: number): ManagedProcess {
    const process = this.nodeProcesses[index];
    if (!process) throw new Error(`node ${index} was never started`);
    return process;
  }

  /**
   * Starts a coordinator process on the same port and database; resolves once it listens. A start
   * with a failpoint that may stop it before it listens should not be awaited this way: use
   * `spawnCoordinator` and wait for the failpoint.
   */
  async startCoordinator(options: StartOptions = {}): Promise<ManagedProcess> {
    const coordinator = this.spawnCoordinator(options);
    // PGlite's first start (initdb in WebAssembly) takes long on a loaded machine.
    await coordinator.waitForOutput('listening on', 120_000);
    return coordinator;
  }

  /** Starts a coordinator process without waiting for anything. */
  spawnCoordinator(options: StartOptions = {}): ManagedProcess {
    if (this.coordinatorProcess?.alive) throw new Error('a coordinator is still running');
    this.coordinatorProcess = ManagedProcess.spawn('coordinator', builtEntry('coordinator'), [], {
      ...this.coordinatorBaseEnv,
      ...options.env,
    });
    return this.coordinatorProcess;
  }

  /**
   * Sends `signal` to the coordinator (SIGCONT too, so a stopped one gets it) and awaits its exit.
   * SIGKILL is `kill -9`; SIGTERM is a shutdown it may handle.
   */
  stopCoordinator(signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit> {
    return this.coordinator.kill(signal);
  }

  /** Starts the process of node `index` (0, 1, 2) with its configuration and ledger file. */
  startNode(index: number, options: StartOptions = {}): ManagedProcess {
    if (this.nodeProcesses[index]?.alive) throw new Error(`node ${index} is still running`);
    const agency = this.setup.consortium.agencies[index];
    const node = ManagedProcess.spawn(
      `node ${agency.id}`,
      builtEntry('cli'),
      ['node', '--config', agency.configFile],
      { ...this.nodeBaseEnv, ...options.env },
    );
    this.nodeProcesses[index] = node;
    return node;
  }

  /** Sends `signal` to node `index` (SIGCONT too) and awaits its exit. */
  stopNode(index: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit> {
    return this.node(index).kill(signal);
  }

  /** Stops node `index` with `signal` (default SIGTERM) and starts it again. */
  async restartNode(
    index: number,
    options: StartOptions & { readonly signal?: NodeJS.Signals } = {},
  ): Promise<ManagedProcess> {
    await this.stopNode(index, options.signal ?? 'SIGTERM');
    return this.startNode(index, options);
  }

  /** Resolves once the coordinator reports all three nodes connected. */
  waitForNodes(timeoutMs = 60_000): Promise<void> {
    return this.admin.waitForAgencies(timeoutMs);
  }

  /**
   * Runs SQL on the coordinator's database, for assertions and tampering. On PostgreSQL the
   * coordinator keeps running. On PGlite the database has one owner, so a running coordinator is
   * stopped first (SIGTERM, exit awaited whatever its code), the test opens the data itself, then a coordinator is
   * started again (without the last start's env: an armed failpoint is not re-armed) and, when
   * the nodes are running, their reconnection is awaited.
   */
  async withDatabase<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    if (!this.database.exclusive) return this.database.run(work);
    const running = this.coordinatorProcess?.alive === true;
    if (running) {
      // Whatever its exit: a committed write survives even SIGKILL (pglite-durability.spec.ts).
      await this.stopCoordinator('SIGTERM');
      await this.databaseLink?.waitForIdle();
    }
    try {
      return await this.database.run(work);
    } finally {
      if (running) {
        await this.startCoordinator();
        if (this.nodeProcesses.every((n) => n?.alive)) await this.waitForNodes();
      }
    }
  }

  /** Kills every process (SIGKILL), closes the proxies, drops the database, removes the directory. */
  async stop(): Promise<void> {
    const processes = [this.coordinatorProcess, ...this.nodeProcesses].filter(
      (p): p is ManagedProcess => p?.alive === true,
    );
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await this.nodeLink?.close();
    await this.databaseLink?.close();
    await this.database.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Sets up a seeded synthetic city and its three agencies in a temporary directory, the database,
 * the proxies asked for, starts the coordinator and (unless `startNodes` is false) the three
 * nodes, and issues an analyst token.
 */
export async function startFaultConsortium(
  options: FaultConsortiumOptions,
): Promise<FaultConsortium> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-faults-'));
  const cleanups: (() => Promise<void>)[] = [
    () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  ];
  try {
    const root = repoRoot();
    const port = await freePort();
    const nodeLink = options.nodeProxy ? await FaultProxy.start(port) : undefined;
    if (nodeLink) cleanups.unshift(() => nodeLink.close());
    const nodeUrl = `http://127.0.0.1:${nodeLink?.port ?? port}`;
    const setup = createSyntheticConsortium({
      dir,
      seed: options.seed,
      scale: options.scale ?? 'small',
      coordinatorUrl: nodeUrl,
      protocolsDir: join(root, 'protocols'),
      ...(options.nodeConfig ? { nodeConfig: options.nodeConfig } : {}),
    });
    const database = await createCoordinatorDatabase({
      dir,
      behindProxy: options.databaseProxy === true,
    });
    cleanups.unshift(() => database.dispose());
    const databaseLink =
      options.databaseProxy && database.port !== undefined
        ? await FaultProxy.start(database.port)
        : undefined;
    if (databaseLink) cleanups.unshift(() => databaseLink.close());
    const adminToken = randomBytes(24).toString('base64url');
    const url = `http://127.0.0.1:${port}`;
    const run = new FaultConsortium(
      setup,
      dir,
      url,
      nodeUrl,
      database,
      databaseLink,
      nodeLink,
      new ReportClient(url, adminToken),
      {
        ADMIN_TOKEN: adminToken,
        PORT: String(port),
        CONSORTIUM_FILE: setup.consortium.consortiumFile,
        PUBLIC_DATA_DIR: setup.publicDataDir,
        PROTOCOLS_DIR: join(root, 'protocols'),
        LOG_LEVEL: 'warn',
        ...database.coordinatorEnv(databaseLink?.port),
        ...options.coordinatorEnv,
      },
      { LOG_LEVEL: 'warn', ...options.nodeEnv },
    );
    cleanups.splice(0, cleanups.length, () => run.stop());
    await run.startCoordinator({ env: options.firstStart?.coordinator });
    if (options.startNodes !== false) {
      for (const index of [0, 1, 2])
        run.startNode(index, { env: options.firstStart?.nodes?.[index] });
      await run.waitForNodes();
    }
    run.client = await run.admin.withNewToken('fault-analyst', 'analyst');
    return run;
  } catch (e) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw e;
  }
}
