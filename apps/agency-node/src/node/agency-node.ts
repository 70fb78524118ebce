import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import {
  bufferedRandom,
  type IdentitySigner,
  type RandomSource,
  systemRandom,
} from '#concord/crypto';
import { logHugePageStatus } from '#concord/allocator';
import { type Consortium, keyAt } from '#concord/consortium';
import { Rational } from '#concord/dp';
import { ConfigurationError, describeError } from '#concord/errors';
import {
  NativeSessionEngine,
  type PartySession,
  type PartySessionOptions,
  type SessionEngine,
} from '#concord/engine';
import { JiffSessionEngine, type JiffRunner } from '#concord/jiff-engine';
import { GroupWorkerPool } from '#concord/private-join';
import type { Catalogue, SessionPlan } from '#concord/protocol';
import type { NodeEngine } from '#concord/wire';
import { readCoordinatorCa } from '../config/coordinator-ca.js';
import { insecureCoordinatorUrlProblem } from '../config/coordinator-url-policy.js';
import { OwnKeyNotInForceError } from './own-key-error.js';
import type { NodeConfig } from '../config/node-config.js';
import { ConnectorCoverage } from '../connectors/connector-coverage.js';
import { CONNECTORS, TOKEN_CONNECTORS } from '../connectors/connectors.js';
import { decideInvitation } from './invitation-policy.js';
import { ledgerStoreFor } from './ledger-store.js';
import { NodeLedger } from './node-ledger.js';
import type { NodeMetrics } from './node-metrics.js';
import { NodeSessions } from './node-sessions.js';
import { NodeTransport } from './node-transport.js';
import { NoiseSupply } from './noise-supply.js';
import { readPlanInputs } from './plan-inputs.js';
import { readJoinMaterial } from './plan-join.js';

export interface AgencyNodeDeps {
  readonly config: NodeConfig;
  readonly identity: IdentitySigner;
  readonly consortium: Consortium;
  readonly catalogue: Catalogue;
  readonly logger: Logger;
  readonly rng?: RandomSource;
  /** Builds the native engine's party session (tests substitute an instrumented one). */
  readonly createSession?: (options: PartySessionOptions) => PartySession;
  /** Where a JIFF-mode session's stock client runs (tests run it in-thread). */
  readonly jiffRunner?: JiffRunner;
  /** Records what the node does, for `concord node --metrics-port`. */
  readonly metrics?: NodeMetrics;
  /** Where join passes run (default: a pool of one worker thread per core). */
  readonly groupWorkers?: GroupWorkerPool;
  /** The configuration's file, named in messages that tell the operator a command to run. */
  readonly configFile?: string;
}

/** How long a session may stay in a node's memory without an outcome (the coordinator's default timeout, doubled). */
const NODE_SESSION_LIMIT_MS = 600_000;
/** The coordinator is taken for gone after this long without its heartbeat. */
const COORDINATOR_STALL_MS = 5_000;
/**
 * Private-join operations per event-loop turn when they run on the node's own thread (the
 * matcher's decoding, or a batch whose worker died): about 0.1 ms each, so the node answers its
 * coordinator (heartbeats, other sessions) every ~10 ms during a long join.
 */
const JOIN_SLICE_OPERATIONS = 100;
/** How often the node looks for changed data files (a `stat` each; a rescan only if changed). */
const COVERAGE_REFRESH_MS = 60_000;
/** A database source's distinct dates are asked for at most this often. */
const DATABASE_COVERAGE_MS = 10 * 60_000;

/**
 * The daemon an agency runs: its connection to the coordinator (`NodeTransport`), the decision to
 * take part in an invited session (`decideInvitation`), its own privacy ledger, its noise and its
 * connectors, and one map of sessions driven through one `SessionEngine` interface — the native
 * engine or the stock JIFF client, by configuration.
 */
export class AgencyNode {
  private readonly transport: NodeTransport;
  private readonly sessions: NodeSessions;
  private readonly noise = new NoiseSupply();
  private readonly ledger: NodeLedger;
  private readonly sweeper: NodeJS.Timeout;
  private readonly coverage: ConnectorCoverage;
  private coverageTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /**
   * The threads a private join's hash-and-blind and blind passes run on: one per core, so a
   * holder's pass over 10⁴–10⁶ tokens uses the whole machine while this thread keeps serving.
   */
  private readonly groupWorkers: GroupWorkerPool;

  constructor(private readonly deps: AgencyNodeDeps) {
    this.groupWorkers =
      deps.groupWorkers ?? new GroupWorkerPool(deps.config.joinWorkers ?? availableParallelism());
    const self = deps.consortium.agencies.find((a) => a.id === deps.config.agencyId);
    if (!self) throw new Error(`agency ${deps.config.agencyId} is not in the consortium file`);
    // Which epoch of the agency's key history this identity is. A key not in force now still
    // starts (the coordinator refuses its login, saying why, and the node declines sessions).
    const ownKey = self.keys.find(
      (k) => Buffer.compare(Buffer.from(k.publicKey), Buffer.from(deps.identity.publicKey)) === 0,
    );
    if (!ownKey) {
      throw new Error(
        'the identity key file does not match any key the consortium lists for this agency',
      );
    }
    const keyEpoch = ownKey.epoch;
    const inForce = keyAt(deps.consortium, self.party, Date.now());
    if (!inForce.ok || inForce.key.epoch !== keyEpoch) {
      deps.logger.warn(
        { keyEpoch },
        `this node's identity key is not in force now: ${inForce.ok ? `epoch ${inForce.key.epoch} is` : inForce.refusal.message}`,
      );
    }
    const insecure = insecureCoordinatorUrlProblem(
      deps.config.coordinatorUrl,
      deps.config.allowInsecureHttp ?? false,
    );
    if (insecure)
      throw new ConfigurationError({
        setting: 'coordinatorUrl',
        requirement: `an https:// URL, or http:// to this machine only (${insecure})`,
      });
    const ca = deps.config.caFile === undefined ? undefined : readCoordinatorCa(deps.config.caFile);
    const party = self.party;
    const engine: NodeEngine = deps.config.engine ?? 'native';
    const rng = deps.rng ?? bufferedRandom(systemRandom);
    this.coverage = new ConnectorCoverage(deps.config.data, {
      now: Date.now,
      databaseEveryMs: DATABASE_COVERAGE_MS,
      onProblem: (connector, reason) =>
        deps.logger.warn(
          { connector },
          `cannot tell which service dates connector ${connector} holds (${reason}); announced as unknown`,
        ),
    });
    const store = ledgerStoreFor(deps.config, { configFile: deps.configFile });
    this.ledger = new NodeLedger(store, Rational.parse(deps.config.ledger!.capRho), {
      metrics: deps.metrics,
    });
    if (deps.config.atRest?.plaintext === 'demo-only')
      deps.logger.warn(
        { ledger: store.path },
        'the ledger is kept in clear (atRest.plaintext: demo-only): never for real data',
      );
    else deps.logger.info({ ledger: store.path, atRest: store.description }, 'ledger opened');
    logHugePageStatus(deps.logger);
    const createEngine = (plan: SessionPlan): SessionEngine => {
      // The keys in force now, by the node's own clock: peers' acceptances must name these.
      const { pinnedKeys, keyEpochs } = keysInForce(deps.consortium, Date.now());
      if (keyEpochs.get(party) !== keyEpoch) throw new OwnKeyNotInForceError(keyEpoch);
      const options = { self: party, plan, identity: deps.identity, pinnedKeys, keyEpochs, rng };
      return engine === 'jiff'
        ? new JiffSessionEngine({
            ...options,
            coordinatorUrl: deps.config.coordinatorUrl,
            ...(ca === undefined ? {} : { ca }),
            ...(deps.jiffRunner ? { runner: deps.jiffRunner } : {}),
          })
        : new NativeSessionEngine(options, deps.createSession, {
            later: (run) => setImmediate(run),
            operations: JOIN_SLICE_OPERATIONS,
            workers: this.groupWorkers,
          });
    };
    this.sessions = new NodeSessions({
      self: party,
      engine,
      identity: deps.identity,
      ledger: this.ledger,
      noise: this.noise,
      logger: deps.logger,
      decide: (invite) =>
        decideInvitation(invite, {
          engine,
          approvedProtocols: deps.config.approvedProtocols,
          catalogue: deps.catalogue,
          consortium: deps.consortium,
          identity: { party, keyEpoch, now: Date.now() },
        }),
      readInputs: (plan) =>
        readPlanInputs(plan, party, {
          connectors: CONNECTORS,
          data: deps.config.data,
          coverage: this.coverage,
          logger: deps.logger,
        }),
      readJoin: (plan) =>
        readJoinMaterial(plan, party, {
          connectors: CONNECTORS,
          tokenConnectors: TOKEN_CONNECTORS,
          data: deps.config.data,
          logger: deps.logger,
        }),
      createEngine,
      send: (event, payload) => this.transport.send(event, payload),
      sessionTimeoutMs: NODE_SESSION_LIMIT_MS,
      now: Date.now,
      metrics: deps.metrics,
      ...(deps.config.sendWindowBytes === undefined
        ? {}
        : { sendWindowBytes: deps.config.sendWindowBytes }),
    });
    this.transport = new NodeTransport(
      {
        coordinatorUrl: deps.config.coordinatorUrl,
        ...(ca === undefined ? {} : { ca }),
        agencyId: deps.config.agencyId,
        engine,
        identity: deps.identity,
        logger: deps.logger,
        unsettled: () => this.ledger.unsettled(),
        stallMs: COORDINATOR_STALL_MS,
        metrics: deps.metrics,
      },
      this.sessions,
    );
    this.sweeper = setInterval(() => this.sessions.sweep(), 10_000);
    this.sweeper.unref();
  }

  /**
   * Connects, and resolves once the coordinator accepted this node's identity; meanwhile computes
   * the data coverage (which service dates each connector holds), announced once ready, after
   * every later login, and again whenever a refresh finds it changed.
   */
  start(): Promise<void> {
    this.noise.prefill(this.deps.config.noise?.prefill ?? []);
    // Scanning large files takes seconds: the login does not wait for it (until the coverage is
    // announced the coordinator knows nothing against any date, and this node checks each
    // session's date itself).
    const refresh = (): void => {
      this.refreshCoverage()
        .catch((e: unknown) =>
          this.deps.logger.warn({ err: describeError(e) }, 'data coverage not computed'),
        )
        .finally(() => {
          if (this.stopped) return;
          this.coverageTimer = setTimeout(refresh, COVERAGE_REFRESH_MS);
          this.coverageTimer.unref();
        });
    };
    refresh();
    return this.transport.start();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.sweeper);
    clearTimeout(this.coverageTimer);
    this.transport.stop();
    // Terminating a worker thread only fails if it is already gone: nothing is left to stop.
    this.groupWorkers
      .close()
      .catch((e: unknown) =>
        this.deps.logger.warn({ err: describeError(e) }, 'the join worker threads did not stop'),
      );
  }

  private async refreshCoverage(): Promise<void> {
    const inputs = await this.coverage.compute();
    this.transport.announceCoverage({ inputs });
  }
}

/** Each party's key in force at `time` and its epoch (a party with none is left out). */
function keysInForce(
  consortium: Consortium,
  time: number,
): { pinnedKeys: Map<1 | 2 | 3, Uint8Array>; keyEpochs: Map<1 | 2 | 3, number> } {
  const pinnedKeys = new Map<1 | 2 | 3, Uint8Array>();
  const keyEpochs = new Map<1 | 2 | 3, number>();
  for (const p of [1, 2, 3] as const) {
    const k = keyAt(consortium, p, time);
    if (!k.ok) continue;
    pinnedKeys.set(p, k.key.publicKey);
    keyEpochs.set(p, k.key.epoch);
  }
  return { pinnedKeys, keyEpochs };
}
