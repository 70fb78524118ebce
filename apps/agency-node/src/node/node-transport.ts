import type { Logger } from 'pino';
import { io, type Socket } from 'socket.io-client';
import type { IdentityKeyPair } from '#concord/crypto';
import { describeError } from '#concord/errors';
import {
  asBytes,
  AuthChallengeDto,
  AuthResultDto,
  EnvelopeAckDto,
  FromNode,
  HeartbeatDto,
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
import type { NodeSessions } from './node-sessions.js';
import { tlsFailure, tlsFailureMessage } from './tls-failure.js';

export interface NodeTransportOptions {
  readonly coordinatorUrl: string;
  /** PEM CA certificate(s) the coordinator's TLS certificate must chain to (default: public roots). */
  readonly ca?: string;
  readonly agencyId: string;
  readonly engine: NodeEngine;
  readonly identity: IdentityKeyPair;
  readonly logger: Logger;
  /** Sessions whose charge the ledger has not settled (announced at each login). */
  readonly unsettled: () => string[];
  /** The coordinator is taken for gone after this long without a heartbeat. */
  readonly stallMs: number;
}

/**
 * The node's connection to the coordinator: challenge–response login (announcing the sessions it
 * holds and those its ledger has not settled), reconnection with backoff, the application-level
 * heartbeat both ways, and every inbound message validated against its DTO before the sessions
 * see it. The coordinator is not trusted: a malformed message is logged and dropped, never thrown.
 */
export class NodeTransport {
  private socket: Socket | undefined;
  private lastHeard = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private attempts = 0;
  private authenticated = false;
  /** Logins refused in a row (reset by an accepted one). */
  private refusals = 0;
  private stopped = false;
  private readonly readyWaiters: ((ok: boolean, message?: string) => void)[] = [];

  constructor(
    private readonly options: NodeTransportOptions,
    private readonly sessions: NodeSessions,
  ) {}

  /** Connects; resolves once the coordinator accepted this node's identity the first time. */
  start(): Promise<void> {
    const { logger } = this.options;
    const socket = io(`${this.options.coordinatorUrl}${NODE_NAMESPACE}`, {
      transports: ['websocket'],
      reconnectionDelay: 250,
      reconnectionDelayMax: 2000,
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
    });
    this.socket = socket;
    this.on(ToNode.authChallenge, AuthChallengeDto, (m) => {
      socket.emit(FromNode.authResponse, {
        agencyId: this.options.agencyId,
        engine: this.options.engine,
        signature: signAuthChallenge(
          this.options.identity.secretKey,
          m.nonce,
          this.options.agencyId,
          m.coordinator,
        ),
        held: this.sessions.held(),
        unsettled: this.options.unsettled().filter((id) => !this.sessions.held().includes(id)),
      });
    });
    this.on(ToNode.authResult, AuthResultDto, (m) => {
      if (m.ok) {
        this.authenticated = true;
        this.refusals = 0;
        logger.info('authenticated with the coordinator');
      } else {
        this.refusals++;
        logger.error({ code: m.code, message: m.message }, 'the coordinator refused this node');
      }
      this.attempts = 0;
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
        this.sessions.onEnvelope(bytes);
      }),
    );
    socket.on(ToNode.error, (p: unknown) =>
      logger.warn({ refusal: p }, 'the coordinator refused a message'),
    );
    socket.on('connect', () => {
      this.lastHeard = Date.now();
      logger.info({ url: this.options.coordinatorUrl }, 'connected to the coordinator');
    });
    socket.on('disconnect', (reason) => {
      logger.warn(
        { reason },
        'disconnected from the coordinator; sessions are kept and resume on reconnection',
      );
      // socket.io leaves reconnecting to the client when the server closed the connection (it
      // does so for a node it took for stalled); a node it refused never got this far.
      // After a refused login (its old connection not yet dropped by the coordinator) it backs
      // off: 0.25 s, doubling, at most 8 s.
      if (reason === 'io server disconnect' && this.authenticated && !this.stopped)
        setTimeout(() => socket.connect(), Math.min(8_000, 250 * 2 ** this.refusals));
    });
    socket.io.on('reconnect_attempt', (attempt) => {
      this.attempts = attempt;
    });
    socket.on('connect_error', (e) => {
      const tls = tlsFailure(e);
      // Before the first login a certificate that cannot be verified is a configuration error:
      // start() fails with it at once. Later (a certificate rotated mid-run) the node retries.
      if (tls && !this.authenticated) {
        const message = tlsFailureMessage(this.options.coordinatorUrl, tls);
        this.stop();
        for (const w of this.readyWaiters.splice(0)) w(false, message);
        return;
      }
      logger.warn(
        { url: this.options.coordinatorUrl, attempt: this.attempts, err: tls ?? e.message },
        tls
          ? 'cannot verify the coordinator’s TLS certificate; retrying with backoff'
          : 'cannot reach the coordinator; retrying with backoff',
      );
    });
    // Not unref'd: it keeps the daemon alive while it has no connection (`stop()` clears it).
    this.watchdog = setInterval(() => this.checkCoordinator(), 1000);
    return new Promise((resolve, reject) => {
      this.readyWaiters.push((ok, message) =>
        ok ? resolve() : reject(new Error(message ?? 'authentication refused')),
      );
    });
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.watchdog);
    this.socket?.disconnect();
  }

  /** Sends now if connected; a message that cannot be sent is asked for again on resume. */
  send(event: string, payload: unknown): void {
    if (this.socket?.connected) this.socket.emit(event, payload);
  }

  /** A coordinator that stopped sending heartbeats is dropped; socket.io then reconnects. */
  private checkCoordinator(): void {
    const socket = this.socket;
    if (!socket?.connected || Date.now() - this.lastHeard <= this.options.stallMs) return;
    this.options.logger.warn(
      { silentMs: Date.now() - this.lastHeard },
      'the coordinator stopped answering; reconnecting',
    );
    socket.disconnect();
    socket.connect();
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
