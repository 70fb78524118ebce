import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { IdentitySigner } from '#concord/crypto';
import { describeError } from '#concord/errors';
import { failpoint } from '#concord/failpoint';
import {
  asBytes,
  AuthChallengeDto,
  AuthResultDto,
  type DataCoverage,
  EnvelopeAckDto,
  FromNode,
  HeartbeatDto,
  MAX_AUTH_SESSION_IDS,
  NODE_NAMESPACE,
  type NodeEngine,
  SealRequestDto,
  SessionAbortedDto,
  SessionCommitmentsDto,
  SessionCompletedDto,
  SessionInviteDto,
  SessionKeysDto,
  SessionResumeDto,
  signAuthChallenge,
  ToNode,
  validateMessage,
  WireError,
} from '#concord/wire';
import type { TranscriptEntry } from '#concord/transcript';
import type { NodeMetrics } from './node-metrics.js';
import type { NodeSessions } from './node-sessions.js';
import { backoffDelayMs, RECONNECT_BACKOFF } from './reconnect-backoff.js';

/** A connection attempt the coordinator has not answered by then is abandoned (and retried). */
const CONNECT_TIMEOUT_MS = 10_000;
/** An attempt still unanswered after this is reported, so an operator is never left guessing. */
const SLOW_CONNECT_NOTICE_MS = 1_000;
import { tlsFailure, tlsFailureMessage } from './tls-failure.js';

export interface NodeTransportOptions {
  readonly coordinatorUrl: string;
  /** PEM CA certificate(s) the coordinator's TLS certificate must chain to (default: public roots). */
  readonly ca?: string;
  readonly agencyId: string;
  readonly engine: NodeEngine;
  readonly identity: IdentitySigner;
  readonly logger: Logger;
  /** Sessions whose charge the ledger has not settled (announced at each login). */
  readonly unsettled: () => string[];
  /** The coordinator is taken for gone after this long without a heartbeat. */
  readonly stallMs: number;
  /** Records connection state and envelope traffic, when the node serves metrics. */
  readonly metrics?: NodeMetrics;
}

/**
 * The node's connection to the coordinator: challenge–response login (announcing the sessions it
 * holds and those its ledger has not settled), reconnection, the application-level heartbeat both
 * ways, and every inbound message validated against its DTO before the sessions see it. The
 * coordinator is not trusted: a malformed message is logged and dropped, never thrown.
 *
 * Reconnection is this class's, not socket.io's (which gives up after a server-side disconnect):
 * after a failed attempt or any disconnect — the coordinator unreachable, restarted, cutting a
 * login it found late or a node it took for stalled — the next attempt follows an exponential
 * backoff with full jitter (reconnect-backoff.ts), reset by an accepted login. Each wait is logged
 * with its reason, its length and the attempt number. Only a refused first login ends it: that
 * process is not the agency the coordinator knows, or a second one of it (`start` rejects).
 */
export class NodeTransport {
  private socket: Socket | undefined;
  private lastHeard = 0;
  private watchdog: NodeJS.Timeout | undefined;
  /** Attempts since the last accepted login. */
  private attempt = 0;
  private retry: NodeJS.Timeout | undefined;
  private slowNotice: NodeJS.Timeout | undefined;
  /** Ever accepted by the coordinator (a refusal then is not the end). */
  private authenticated = false;
  /** Accepted on the current connection: only then are heartbeats expected. */
  private loggedIn = false;
  private stopped = false;
  /** Connections made so far (each after the first is a reconnection). */
  private connections = 0;
  private readonly readyWaiters: ((ok: boolean, message?: string) => void)[] = [];
  /** What the node holds (announced after each login and when it changes). */
  private coverage: DataCoverage | undefined;

  constructor(
    private readonly options: NodeTransportOptions,
    private readonly sessions: NodeSessions,
  ) {}

  /** Connects; resolves once the coordinator accepted this node's identity the first time. */
  start(): Promise<void> {
    const { logger, metrics, coordinatorUrl: url } = this.options;
    const socket = io(`${url}${NODE_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
      timeout: CONNECT_TIMEOUT_MS,
      autoConnect: false,
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
    });
    this.socket = socket;
    this.on(ToNode.authChallenge, AuthChallengeDto, (m) => {
      failpoint('node.login-challenged');
      socket.emit(FromNode.authResponse, {
        agencyId: this.options.agencyId,
        engine: this.options.engine,
        signature: signAuthChallenge(
          this.options.identity,
          m.nonce,
          this.options.agencyId,
          m.coordinator,
        ),
        // Frames before login are bounded (WireLimits.maxPreAuthFrameBytes): a node with more
        // sessions names the first ones now and the rest at a later login.
        held: this.sessions.held().slice(0, MAX_AUTH_SESSION_IDS),
        unsettled: this.options
          .unsettled()
          .filter((id) => !this.sessions.held().includes(id))
          .slice(0, MAX_AUTH_SESSION_IDS),
      });
    });
    this.on(ToNode.authResult, AuthResultDto, (m) => {
      if (m.ok) {
        this.authenticated = true;
        this.loggedIn = true;
        this.lastHeard = Date.now();
        this.attempt = 0;
        metrics?.coordinatorConnection('logged-in');
        logger.info({ url }, 'authenticated with the coordinator');
        // The coordinator keeps a login's coverage with its connection: announced on each one.
        if (this.coverage) socket.emit(FromNode.coverage, this.coverage);
      } else {
        metrics?.loginRefused(m.code ?? 'refused');
        logger.error({ code: m.code, message: m.message }, 'the coordinator refused this node');
        // A first login refused: this process gives up (its caller exits). A node that was in
        // backs off and tries again (its old connection may not be dropped yet).
        if (!this.authenticated) this.stop();
      }
      for (const w of this.readyWaiters.splice(0)) w(m.ok, m.message);
    });
    this.on(ToNode.heartbeat, HeartbeatDto, (m) => {
      this.lastHeard = Date.now();
      socket.emit(FromNode.heartbeat, { seq: m.seq });
    });
    this.on(ToNode.sessionInvite, SessionInviteDto, (m) =>
      this.sessions
        .onInvite(m)
        .catch((e: unknown) =>
          logger.error({ sessionId: m.sessionId, err: describeError(e) }, 'invitation failed'),
        ),
    );
    this.on(ToNode.sessionKeys, SessionKeysDto, (m) =>
      this.sessions.onKeys(m.sessionId, m.acceptances),
    );
    this.on(ToNode.sessionCommitments, SessionCommitmentsDto, (m) =>
      this.sessions.onGoAhead(m.sessionId, m.commitments),
    );
    this.on(ToNode.sessionEnvelopeAck, EnvelopeAckDto, (m) => this.sessions.onEnvelopeAck(m));
    this.on(ToNode.sessionSealRequest, SealRequestDto, (m) =>
      this.sessions.onSealRequest(m.sessionId, m.entries as unknown as TranscriptEntry[]),
    );
    this.on(ToNode.sessionResume, SessionResumeDto, (m) =>
      this.sessions.onResume(m.sessionId, m.recorded),
    );
    this.on(ToNode.sessionAborted, SessionAbortedDto, (m) => {
      logger.warn({ sessionId: m.sessionId, code: m.code }, `session aborted: ${m.message}`);
      this.sessions.onEnded(m.sessionId, { kind: 'aborted', coordinatorRefunds: m.refund });
    });
    this.on(ToNode.sessionCompleted, SessionCompletedDto, (m) =>
      this.sessions.onEnded(m.sessionId, { kind: 'completed' }),
    );
    socket.on(ToNode.sessionEnvelope, (payload: unknown) =>
      this.guard(ToNode.sessionEnvelope, () => {
        const bytes = asBytes(payload);
        if (!bytes) throw new WireError('invalid-envelope', 'an envelope must be binary');
        metrics?.envelopeReceived(bytes.byteLength);
        this.sessions.onEnvelope(bytes);
      }),
    );
    socket.on(ToNode.error, (p: unknown) =>
      logger.warn({ refusal: p }, 'the coordinator refused a message'),
    );
    socket.on('connect', () => {
      clearTimeout(this.slowNotice);
      this.lastHeard = Date.now();
      if (this.connections++ > 0) metrics?.coordinatorReconnected();
      logger.info({ url }, 'connected to the coordinator');
    });
    socket.on('disconnect', (reason) => {
      this.loggedIn = false;
      metrics?.coordinatorConnection('lost');
      this.retryLater(
        `disconnected from the coordinator at ${url} (${reason}); sessions are kept and resume on reconnection`,
      );
    });
    socket.on('connect_error', (e) => {
      clearTimeout(this.slowNotice);
      const tls = tlsFailure(e);
      // Before the first login a certificate that cannot be verified is a configuration error:
      // start() fails with it at once. Later (a certificate rotated mid-run) the node retries.
      if (tls && !this.authenticated) {
        const message = tlsFailureMessage(url, tls);
        this.stop();
        for (const w of this.readyWaiters.splice(0)) w(false, message);
        return;
      }
      this.retryLater(
        tls
          ? `cannot verify the TLS certificate of the coordinator at ${url} (${tls})`
          : `cannot reach coordinator at ${url}: ${whyUnreachable(e)}`,
      );
    });
    // Not unref'd: it keeps the daemon alive while it has no connection (`stop()` clears it).
    this.watchdog = setInterval(() => this.checkCoordinator(), 1000);
    logger.info({ url }, 'connecting to the coordinator');
    this.connect();
    return new Promise((resolve, reject) => {
      this.readyWaiters.push((ok, message) =>
        ok ? resolve() : reject(new Error(message ?? 'authentication refused')),
      );
    });
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearTimeout(this.retry);
    clearTimeout(this.slowNotice);
    this.socket?.disconnect();
  }

  private connect(): void {
    const { logger, coordinatorUrl: url } = this.options;
    clearTimeout(this.slowNotice);
    this.slowNotice = setTimeout(
      () =>
        logger.warn(
          { url },
          `cannot reach coordinator at ${url} yet: no answer after ${SLOW_CONNECT_NOTICE_MS / 1000} s; waiting up to ${CONNECT_TIMEOUT_MS / 1000} s`,
        ),
      SLOW_CONNECT_NOTICE_MS,
    );
    this.socket?.connect();
  }

  /** Schedules the next attempt after a failed one or a disconnect (one pending at a time). */
  private retryLater(what: string): void {
    if (this.stopped || this.retry) return;
    this.attempt++;
    const delayMs = backoffDelayMs(this.attempt, RECONNECT_BACKOFF, (n) => randomInt(n));
    this.options.logger.warn(
      { url: this.options.coordinatorUrl, attempt: this.attempt, retryInMs: delayMs },
      `${what}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${this.attempt})`,
    );
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) this.connect();
    }, delayMs);
  }

  /**
   * Sets the data coverage this node announces: sent now if logged in and it changed, and after
   * every later login.
   */
  announceCoverage(coverage: DataCoverage): void {
    const changed = JSON.stringify(coverage) !== JSON.stringify(this.coverage);
    this.coverage = coverage;
    if (!changed) return;
    this.options.logger.info(
      {
        coverage: coverage.inputs.map((i) =>
          i.kind === 'dated'
            ? `${i.connector}: ${(i.dates ?? []).join(', ') || 'no dates'}`
            : `${i.connector}: ${i.kind}`,
        ),
      },
      'data coverage',
    );
    if (this.loggedIn && this.socket?.connected) this.socket.emit(FromNode.coverage, coverage);
  }

  /** Sends now if connected; a message that cannot be sent is asked for again on resume. */
  send(event: string, payload: unknown): void {
    if (!this.socket?.connected) return;
    this.socket.emit(event, payload);
    if (event === FromNode.sessionEnvelope && payload instanceof Uint8Array)
      this.options.metrics?.envelopeSent(payload.byteLength);
  }

  /**
   * A coordinator that stopped sending heartbeats is dropped; the disconnect schedules a retry.
   * Before the login is accepted there are no heartbeats: the coordinator's login deadline rules.
   */
  private checkCoordinator(): void {
    const socket = this.socket;
    if (!socket?.connected || !this.loggedIn) return;
    if (Date.now() - this.lastHeard <= this.options.stallMs) return;
    this.options.logger.warn(
      { silentMs: Date.now() - this.lastHeard },
      'the coordinator stopped answering; reconnecting',
    );
    socket.disconnect();
  }

  private on<T extends object>(
    event: string,
    dto: new () => T,
    handle: (message: T) => unknown,
  ): void {
    this.socket!.on(event, (payload: unknown) =>
      this.guard(event, () => handle(validateMessage(dto, payload, event))),
    );
  }

  /** Nothing the coordinator sends can crash the node: a refusal is logged, never thrown. */
  private guard(event: string, run: () => unknown): void {
    try {
      run();
    } catch (e) {
      this.options.logger.warn({ event, err: describeError(e) }, 'message refused');
    }
  }
}

/** The cause of a failed connection attempt in words (`connect ECONNREFUSED 10.0.0.5:3000`). */
function whyUnreachable(error: Error): string {
  // socket.io-client wraps the transport's failure: the socket error is in `description`.
  const description = (error as { description?: unknown }).description as
    { message?: unknown; error?: { message?: unknown } } | undefined;
  const inner = description?.error?.message ?? description?.message;
  return typeof inner === 'string' && inner.length > 0 ? inner : error.message;
}
