import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import {
  type PartyDirectory,
  type SessionAction,
  SessionCore,
  type SessionEvent,
  type SessionRules,
} from '#concord/coordination';
import { describeError } from '#concord/errors';
import { failpoint } from '#concord/failpoint';
import type { PartyNumber } from '#concord/transcript';
import { ToNode, verifyJiffCredential } from '#concord/wire';
import { AgenciesService } from '../agencies/agencies.service.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { Clock } from '../config/clock.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import { isDatabaseUnavailable, isLockTimeout } from '../database/database-errors.js';
import { ReplicaLink } from '../cluster/replica-link.js';
import { type LoginPlace, type NodeLogin, NodePresence } from '../gateway/node-presence.js';
import { JiffEndpoint } from '../jiff/jiff-endpoint.service.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { SessionTiming } from '../metrics/session-timing.js';
import type { CreateReportDto } from './dto/create-report.dto.js';
import type { Session } from './session.js';
import { SessionExecutor } from './session-executor.js';
import { LeaseLostError, SessionLeases } from './session-leases.js';
import { SessionStore } from './session-store.js';
import { SessionsService } from './sessions.service.js';

/** A session this process runs: its rules and the executor of what they decide. */
interface LiveSession {
  readonly core: SessionCore;
  readonly executor: SessionExecutor;
  readonly timing: SessionTiming;
}

/** Events the gateway feeds on behalf of a party's message (the clock is added here). */
export type PartyEvent = DistributiveOmit<
  Exclude<
    SessionEvent,
    {
      type:
        'tick' | 'party-online' | 'party-lost' | 'jiff-relay' | 'jiff-failed' | 'internal-failure';
    }
  >,
  'now'
>;

const TICK_MS = 250;
/** Longest pause between two admission rounds (a finished session starts one at once). */
const MAX_ADMISSION_INTERVAL_MS = 500;

/**
 * The adapter around the session core: it feeds each live session what the gateway, node
 * presence, the JIFF endpoint and the clock report, and carries out what the core decides —
 * writes through the session store (write-ahead, retried while the database is away), sends
 * through node presence. It holds no rules of its own.
 *
 * Which sessions it runs is decided by `SessionLeases`: new requests wait in a fair queue and are
 * admitted while fewer than MAX_RUNNING_SESSIONS run; an admission round (every half second, and
 * at once when a request arrives or a session ends) renews this replica's leases, takes over
 * sessions whose owner stopped renewing, and admits from the queue. At start the first round
 * resumes what this replica left unfinished; on SIGTERM it drains (no new sessions; running ones
 * finish or stay parked, durably, and their leases are released for another replica or the next
 * start).
 */
@Injectable()
export class SessionRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly live = new Map<string, LiveSession>();
  private readonly rules: SessionRules;
  private ticker: NodeJS.Timeout | undefined;
  private pacer: NodeJS.Timeout | undefined;
  private draining = false;
  /** The admission round under way, and whether another was asked for meanwhile. */
  private admitting: Promise<void> | undefined;
  private admitAgain = false;
  /**
   * Sessions found unfinished but not run here, remembered for a few seconds: a stream of
   * envelopes for a session another replica runs costs one lookup, not one per envelope.
   */
  private readonly elsewhere = new Map<string, number>();

  constructor(
    private readonly store: SessionStore,
    private readonly leases: SessionLeases,
    private readonly sessions: SessionsService,
    private readonly agencies: AgenciesService,
    private readonly presence: NodePresence,
    private readonly jiff: JiffEndpoint,
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly link: ReplicaLink,
    private readonly metrics: CoordinatorMetrics,
  ) {
    this.rules = {
      sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
      nodeLeaseMs: config.NODE_LEASE_MS,
      reportGraceMs: config.ABORT_REPORT_GRACE_MS,
      maxJiffRelays: 5_000_000,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.presence.whenOnline((login, place) => this.online(login, place));
    this.link.on('party-event', (payload) => this.forwarded(payload));
    this.presence.whenLost((party) => this.broadcast({ type: 'party-lost', party }));
    this.jiff.onRelay((r) => {
      this.metrics.jiffRelayed(r.event);
      this.feed(r.computationId, { type: 'jiff-relay', from: r.from, to: r.to, digest: r.digest });
    });
    this.metrics.countLiveSessionsWith(() => [...this.live.values()].map((s) => s.core.view));
    this.admit();
    await this.admitting;
    if (this.live.size > 0)
      this.logger.info(
        { sessions: this.live.size, replica: this.leases.replica },
        'resumed unfinished sessions',
      );
    this.ticker = setInterval(() => this.broadcast({ type: 'tick' }), TICK_MS);
    // Leases are renewed several times per lease period, so one late round never loses them.
    const every = Math.min(MAX_ADMISSION_INTERVAL_MS, this.config.SESSION_LEASE_MS / 5);
    this.pacer = setInterval(() => this.admit(), every);
    this.ticker.unref();
    this.pacer.unref();
  }

  /**
   * SIGTERM: refuse new sessions, give running ones `DRAIN_TIMEOUT_MS` to finish, then stop
   * carrying out actions. What was decided is durable; the next start resumes the rest.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.draining = true;
    const deadline = this.clock.now() + this.config.DRAIN_TIMEOUT_MS;
    while (this.live.size > 0 && this.clock.now() < deadline) await sleep(50);
    clearInterval(this.ticker);
    clearInterval(this.pacer);
    await this.admitting;
    const parked = [...this.live.keys()];
    for (const s of this.live.values()) s.executor.stop();
    await Promise.all([...this.live.values()].map((s) => s.executor.idle()));
    this.live.clear();
    if (parked.length > 0) {
      await this.leases
        .release()
        .catch((e: unknown) =>
          this.logger.warn(
            { err: describeError(e) },
            'could not release leases; they lapse by themselves',
          ),
        );
      this.logger.warn(
        { sessions: parked },
        'sessions parked for the next start (or another replica)',
      );
    }
  }

  /**
   * POST /reports: creates (or, for a repeated request, finds) a session and queues it; it starts
   * at once if fewer than MAX_RUNNING_SESSIONS run.
   */
  async request(dto: CreateReportDto, analyst: string): Promise<Session> {
    if (this.draining) {
      throw new CoordinatorError(
        'unavailable',
        'the coordinator is shutting down; retry the request with the same request id shortly',
      );
    }
    const { session, created } = await this.sessions.create(dto, analyst);
    if (created) {
      this.logger.info({ sessionId: session.id, protocol: session.protocol.id }, 'session created');
      // The session and its charge are committed: the answer is the session, queued. The round
      // that admits it is not awaited (under load it would hold the response behind the queue).
      this.admit();
    }
    return session;
  }

  /**
   * A message from a party, validated by the gateway. A session another replica runs gets it
   * through the replicas' channel; one that ended anywhere gets its ending told to the party.
   */
  dispatch(sessionId: string, event: PartyEvent): void {
    if (event.type === 'envelope') this.metrics.envelopeReceived(event.bytes.byteLength);
    if (this.live.has(sessionId)) return this.feed(sessionId, event);
    if (this.link.clustered) this.link.broadcast('party-event', { sessionId, event });
    if (!this.runningElsewhere(sessionId)) this.answerEnded(sessionId, event.party);
  }

  /** A party's message another replica received for a session: fed only where it runs. */
  private forwarded(payload: unknown): void {
    const { sessionId, event } = payload as { sessionId?: unknown; event?: PartyEvent };
    if (typeof sessionId === 'string' && this.live.has(sessionId) && event)
      this.feed(sessionId, event);
  }

  private runningElsewhere(sessionId: string): boolean {
    const until = this.elsewhere.get(sessionId);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.elsewhere.delete(sessionId);
    return false;
  }

  private feed(sessionId: string, event: DistributiveOmit<SessionEvent, 'now'>): void {
    const session = this.live.get(sessionId);
    if (!session) return;
    const now = this.clock.now();
    const actions = session.core.handle({ ...event, now });
    session.timing.saw(session.core.view, now);
    session.executor.enqueue(actions);
  }

  private broadcast(event: DistributiveOmit<SessionEvent, 'now'>): void {
    for (const id of [...this.live.keys()]) this.feed(id, event);
  }

  /**
   * A node logged in (here or on another replica): every live session learns it; the replica it
   * is connected to tells it how its ended sessions ended.
   */
  private online(login: NodeLogin, place: LoginPlace): void {
    for (const id of [...this.live.keys()]) {
      this.feed(id, {
        type: 'party-online',
        party: login.party,
        engine: login.engine,
        holdsSession: login.held.has(id),
      });
    }
    if (place === 'elsewhere') return;
    for (const id of new Set([...login.held, ...login.unsettled])) {
      if (!this.live.has(id)) this.answerEnded(id, login.party);
    }
  }

  /**
   * A party asked about a session this process does not run: if it ended, the party learns how
   * (so its ledger settles); if it is unfinished, it is adopted; if it never existed, the party is
   * told so (its ledger may then refund what it never used).
   */
  private answerEnded(id: string, party: PartyNumber): void {
    this.lookUpEnded(id, party).catch((e: unknown) =>
      this.logger.warn(
        { sessionId: id, party, err: describeError(e) },
        'could not answer about a session (the party asks again at its next login)',
      ),
    );
  }

  private async lookUpEnded(id: string, party: PartyNumber): Promise<void> {
    const loaded = await this.store.load(id);
    if (!loaded) {
      this.presence.send(party, ToNode.sessionAborted, {
        sessionId: id,
        code: 'unknown-session',
        message: 'this coordinator has no such session',
        refund: true,
      });
      return;
    }
    const { core } = SessionCore.restored(
      loaded.record,
      this.directory(),
      this.rules,
      loaded.stored,
      this.clock.now(),
    );
    // Unfinished: its owner (this replica or another) answers as the session goes on.
    if (!core.view.final) {
      this.elsewhere.set(id, this.clock.now() + 5_000);
      return;
    }
    const login = this.presence.logins().find((l) => l.party === party);
    const actions = core.handle({
      type: 'party-online',
      now: this.clock.now(),
      party,
      engine: login?.engine ?? 'native',
      holdsSession: true,
    });
    for (const a of actions) if (a.type === 'send') this.perform(id, a);
  }

  /**
   * One admission round (see the class comment); rounds asked for while one runs are folded into
   * one more. Errors are logged: the next round tries again.
   */
  private admit(): void {
    if (this.admitting) {
      this.admitAgain = true;
      return;
    }
    const rounds = async (): Promise<void> => {
      do {
        this.admitAgain = false;
        const round = await this.leases.heartbeat(!this.draining);
        for (const a of round.admitted) this.metrics.sessionAdmitted(a.waitedSeconds);
        for (const id of round.owned) if (!this.live.has(id)) await this.adopt(id);
      } while (this.admitAgain);
    };
    // The handler is here, once: callers only start rounds (or await `admitting`), so a failed
    // round is logged and the next one (the pacer's, at the latest) tries again.
    this.admitting = rounds()
      .catch((e: unknown) => {
        if (isLockTimeout(e))
          this.logger.warn('admission round waited too long for a lock; the next one retries');
        else if (!isDatabaseUnavailable(e))
          this.logger.error({ err: describeError(e) }, 'admission round failed');
      })
      .finally(() => {
        this.admitting = undefined;
      });
  }

  /** Takes a session this replica owns from the store into this process. */
  private async adopt(id: string): Promise<void> {
    if (this.live.has(id)) return;
    const loaded = await this.store.load(id);
    if (!loaded || this.live.has(id) || loaded.owner !== this.leases.replica) return;
    const { core, actions } = SessionCore.restored(
      loaded.record,
      this.directory(),
      this.rules,
      loaded.stored,
      this.clock.now(),
    );
    if (core.view.final) return;
    const executor = new SessionExecutor({
      persist: (ops) => this.store.persist(id, ops),
      perform: (a) => this.perform(id, a),
      retryable: isDatabaseUnavailable,
      failed: (e) => this.failed(id, e),
      retrying: (e, attempt, delayMs) =>
        this.logger.warn(
          { sessionId: id, attempt, delayMs, err: describeError(e) },
          'database unavailable; retrying the session’s write',
        ),
    });
    const timing = new SessionTiming(this.metrics, loaded.requestedAt, core.view, this.clock.now());
    this.live.set(id, { core, executor, timing });
    executor.enqueue(actions);
    for (const login of this.presence.logins()) {
      this.feed(id, {
        type: 'party-online',
        party: login.party,
        engine: login.engine,
        holdsSession: login.held.has(id),
      });
    }
  }

  /**
   * A write failed for a reason other than the database being away (a transition found the row
   * moved, a constraint refused it): the session's memory may be ahead of its durable record, so
   * it is dropped and rebuilt from the store.
   */
  private failed(id: string, error: unknown): void {
    if (error instanceof LeaseLostError) {
      // Another replica resumed it from the durable record after this one stalled past its
      // lease: this copy stops, having written nothing since.
      this.live.delete(id);
      this.logger.warn({ sessionId: id, err: describeError(error) }, 'session taken over');
      return;
    }
    this.logger.error(
      { sessionId: id, err: describeError(error) },
      'a session write failed; rebuilding the session from the database',
    );
    this.live.delete(id);
    setTimeout(() => {
      this.adopt(id).catch((e: unknown) =>
        this.logger.error(
          { sessionId: id, err: describeError(e) },
          'could not rebuild the session',
        ),
      );
    }, 1_000).unref();
  }

  private perform(id: string, action: SessionAction): void {
    switch (action.type) {
      case 'persist':
        return;
      case 'send':
        this.presence.send(action.party, action.event, action.payload);
        return;
      case 'relay':
        if (this.presence.send(action.party, ToNode.sessionEnvelope, action.bytes))
          this.metrics.envelopeRelayed(action.bytes.byteLength);
        return;
      case 'refuse':
        this.presence.send(action.party, ToNode.error, {
          sessionId: id,
          code: action.code,
          message: action.message,
        });
        return;
      case 'register-jiff':
        return this.registerJiff(id, action.expiresAt);
      case 'remove-jiff':
        this.jiff.remove(id);
        return;
      case 'milestone':
        this.logger.debug({ sessionId: id, milestone: action.name }, 'session milestone');
        failpoint(`coordinator.${action.name}`);
        return;
      case 'log':
        this.logger[action.level]({ sessionId: id, ...action.fields }, action.message);
        return;
      case 'finished':
        this.live.get(id)?.timing.ended(action.outcome, this.clock.now(), action.code);
        this.live.delete(id);
        // A slot is free: the next queued session starts now, not at the next round.
        this.admit();
        return;
    }
  }

  /** JIFF mode: credentials are the parties' identity-key signatures over (session, party). */
  private registerJiff(id: string, expiresAt: number): void {
    try {
      this.jiff.register(id, expiresAt, (partyId, credential) => {
        // Signed by the key in force now (a node logs in only with that one).
        const key = this.agencies.keyAt(partyId, Date.now());
        return key.ok && verifyJiffCredential(key.key.publicKey, id, partyId, credential);
      });
    } catch (e) {
      setImmediate(() => this.feed(id, { type: 'jiff-failed', message: describeError(e) }));
    }
  }

  private directory(): PartyDirectory {
    return new Map(
      ([1, 2, 3] as const).flatMap((p) => {
        const a = this.agencies.byParty(p);
        return a
          ? [[p, { agencyId: a.id, identityKey: a.identityKey, keys: a.keys }] as const]
          : [];
      }),
    );
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
