import { Inject, type OnApplicationShutdown } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import type { ClassConstructor } from 'class-transformer';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Namespace, Socket } from 'socket.io';
import { agencyEpochValidAt } from '#concord/consortium';
import { sha256, toHex } from '#concord/crypto';
import { describeError } from '#concord/errors';
import type { PartyNumber } from '#concord/transcript';
import {
  AbortReportDto,
  AuthResponseDto,
  checkJsonText,
  checkShape,
  EnvelopeAckDto,
  FromNode,
  HeartbeatDto,
  NODE_FRAME_TEXT,
  NODE_MESSAGE_SHAPE,
  NODE_NAMESPACE,
  NodeCoverageDto,
  NoiseCommitDto,
  parseEnvelopeRoute,
  ResultReportDto,
  SealDto,
  SessionAcceptDto,
  SessionDeclineDto,
  ToNode,
  validateMessage,
  verifyAuthChallenge,
  WireError,
  WireLimits,
} from '#concord/wire';
import { AgenciesService } from '../agencies/agencies.service.js';
import { ReplicaLink } from '../cluster/replica-link.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import { FailedAttempts } from '../inbound/failed-attempts.js';
import { FrameRefusals } from '../inbound/frame-refusals.js';
import { checkTextFrames } from '../inbound/text-frame-check.js';
import {
  boundPreAuthFrames,
  type EngineSocket,
  type PreAuthBinding,
  type PreAuthRefusal,
} from '../inbound/pre-auth-frame-bound.js';
import { type PartyEvent, SessionRuntime } from '../sessions/session-runtime.service.js';
import { NodePresence } from './node-presence.js';

const AUTH_TIMEOUT_MS = 10_000;
/** Sockets waiting for login at once (three agencies need three; the rest are reconnections). */
const MAX_PENDING_LOGINS = 64;
const MAX_PENDING_LOGINS_PER_ADDRESS = 8;
const KNOWN_EVENTS: ReadonlySet<string> = new Set(Object.values(FromNode));
/**
 * After login, text frames longer than this are scanned before they are parsed (`checkJsonText`):
 * a shorter one parses in milliseconds whatever it holds, and is refused after it if it must be.
 */
const SCANNED_TEXT_FROM = 64 * 1024;

interface NodeSocketData {
  nonce?: string;
  party?: PartyNumber;
  agencyId?: string;
}

/**
 * The socket.io namespace agency nodes connect to. A node proves its identity by signing a fresh
 * challenge with the Ed25519 key pinned for its agency; until then every other event is refused.
 * Every inbound message is size-limited, validated against its DTO (envelopes by their routing
 * header) and handed to the session runtime as an event of the authenticated party. Nothing a
 * node sends can throw past this class: a bad message is answered with a typed refusal.
 *
 * Before login a connection may send only a few small frames (`WireLimits.maxPreAuthFrameBytes`,
 * `maxPreAuthFrames`), checked on the raw engine packet before socket.io decodes it; every JSON
 * message passes `checkShape` (bounded, linear) before its DTO sees it. After login a text frame
 * over `SCANNED_TEXT_FROM` is scanned before socket.io parses it: one whose parse alone would
 * stall the process (deep nesting, hundreds of thousands of objects) ends the connection with a
 * typed refusal, unparsed. Refusals are counted in
 * `FrameRefusals`, not logged one by one, and an address that fails to log in too often is
 * refused before its signature is checked.
 */
@WebSocketGateway({ namespace: NODE_NAMESPACE, maxHttpBufferSize: WireLimits.maxFrameBytes })
export class AgencyNodesGateway
  implements OnGatewayInit<Namespace>, OnGatewayConnection, OnApplicationShutdown
{
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new WeakMap<EngineSocket, Socket>();
  private preAuth: PreAuthBinding | undefined;

  constructor(
    private readonly agencies: AgenciesService,
    private readonly presence: NodePresence,
    private readonly runtime: SessionRuntime,
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly link: ReplicaLink,
    private readonly refusals: FrameRefusals,
    private readonly failures: FailedAttempts,
  ) {}

  /** With REDIS_URL the namespace runs over the Redis adapter: replicas talk through it. */
  afterInit(namespace: Namespace): void {
    if (this.config.REDIS_URL) this.link.attach(namespace);
    this.preAuth = boundPreAuthFrames(
      namespace.server.engine,
      {
        maxFrameBytes: WireLimits.maxPreAuthFrameBytes,
        maxFrames: WireLimits.maxPreAuthFrames,
        maxPending: MAX_PENDING_LOGINS,
        maxPendingPerAddress: MAX_PENDING_LOGINS_PER_ADDRESS,
        deadlineMs: AUTH_TIMEOUT_MS,
      },
      (conn, code, message) => this.refuseConnection(conn, code, message),
    );
  }

  handleConnection(socket: Socket): void {
    const data = socket.data as NodeSocketData;
    data.nonce = randomBytes(32).toString('hex');
    this.sockets.set(socket.conn, socket);
    // A frame socket.io cannot decode is reported here; without a listener it would throw.
    socket.on('error', () => this.refused(socket, 'invalid-message'));
    socket.onAny((event: unknown) => {
      if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
      this.refused(socket, 'invalid-message');
      socket.emit(ToNode.error, { code: 'invalid-message', message: 'unknown event' });
    });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (data.party) return;
      this.logger.warn(
        { reason: 'login-timeout', address: socket.handshake.address },
        `node login refused: no accepted answer to the challenge within ${AUTH_TIMEOUT_MS} ms`,
      );
      socket.disconnect(true);
    }, AUTH_TIMEOUT_MS);
    this.timers.add(timer);
    socket.on('disconnect', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
      if (data.party) this.presence.unregister(data.party, socket);
    });
    socket.on(FromNode.authResponse, (payload: unknown) =>
      this.guard(socket, () => this.authenticate(socket, payload)),
    );
    socket.on(FromNode.heartbeat, (payload: unknown) =>
      this.guard(socket, () => {
        validate(HeartbeatDto, payload, FromNode.heartbeat);
        this.presence.heard(this.partyOf(socket), socket);
      }),
    );
    socket.on(FromNode.coverage, (payload: unknown) =>
      this.guard(socket, () => {
        const party = this.partyOf(socket);
        const m = validate(NodeCoverageDto, payload, FromNode.coverage);
        this.presence.noteCoverage(party, socket, {
          inputs: m.inputs.map((i) => ({
            connector: i.connector,
            kind: i.kind,
            ...(i.kind === 'dated' ? { dates: i.dates ?? [] } : {}),
          })),
        });
      }),
    );
    this.route(socket, FromNode.sessionAccept, SessionAcceptDto, (party, m) => {
      this.presence.noteHeld(party, socket, m.sessionId);
      return { sessionId: m.sessionId, event: { type: 'accept', party, acceptance: m.acceptance } };
    });
    this.route(socket, FromNode.sessionDecline, SessionDeclineDto, (party, m) => ({
      sessionId: m.sessionId,
      event: { type: 'decline', party, code: m.code, message: m.message },
    }));
    this.route(socket, FromNode.sessionCommit, NoiseCommitDto, (party, m) => ({
      sessionId: m.sessionId,
      event: { type: 'commit', party, claimedParty: m.party, commitments: m.commitments },
    }));
    this.route(socket, FromNode.sessionResult, ResultReportDto, (party, m) => ({
      sessionId: m.sessionId,
      event: {
        type: 'result',
        party,
        claimedParty: m.party,
        digest: m.resultDigest,
        ...(m.outputs ? { outputs: m.outputs } : {}),
      },
    }));
    this.route(socket, FromNode.sessionSeal, SealDto, (party, m) => ({
      sessionId: m.sessionId,
      event: {
        type: 'seal',
        party,
        claimedParty: m.party,
        headHash: m.headHash,
        signature: m.signature,
      },
    }));
    this.route(socket, FromNode.sessionAbort, AbortReportDto, (party, m) => ({
      sessionId: m.sessionId,
      event: {
        type: 'abort-report',
        party,
        code: m.code,
        message: m.message,
        suspects: m.suspects,
      },
    }));
    this.route(socket, FromNode.sessionEnvelopeAck, EnvelopeAckDto, (party, m) => ({
      sessionId: m.sessionId,
      event: {
        type: 'envelope-ack',
        party,
        ack: { round: m.round, from: m.from, to: m.to, chunk: m.chunk, digest: m.digest },
      },
    }));
    socket.on(FromNode.sessionEnvelope, (payload: unknown) =>
      this.guard(socket, () => {
        const party = this.partyOf(socket);
        const route = parseEnvelopeRoute(payload);
        const bytes = payload as Uint8Array;
        this.runtime.dispatch(route.sessionId, {
          type: 'envelope',
          party,
          route,
          bytes,
          digest: toHex(sha256(bytes)),
        });
      }),
    );
    socket.emit(ToNode.authChallenge, {
      nonce: data.nonce,
      coordinator: this.config.COORDINATOR_NAME,
    });
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearTimeout(t);
    this.preAuth?.detach();
  }

  private authenticate(socket: Socket, payload: unknown): void {
    const data = socket.data as NodeSocketData;
    const address = socket.handshake.address;
    const wait = this.failures.retryAfter('node', address);
    if (wait > 0) {
      this.refused(socket, 'rate-limited');
      socket.emit(ToNode.authResult, {
        ok: false,
        code: 'rate-limited',
        message: `too many failed logins from this address; retry in ${wait} s`,
      });
      socket.disconnect(true);
      return;
    }
    const msg = validate(AuthResponseDto, payload, 'auth.response');
    const agency = this.agencies.byId(msg.agencyId);
    const nonce = data.nonce;
    const challenged = !!nonce;
    // Which of the agency's keys (any epoch) signed the challenge, then whether that key is in
    // force now: a superseded or revoked key gets a refusal that says so, not "bad signature".
    const signedBy =
      agency && nonce
        ? agency.keys.find((k) =>
            verifyAuthChallenge(
              k.publicKey,
              nonce,
              msg.agencyId,
              this.config.COORDINATOR_NAME,
              msg.signature,
            ),
          )
        : undefined;
    data.nonce = undefined; // one attempt per challenge
    const validity =
      agency && signedBy ? agencyEpochValidAt(agency, signedBy.epoch, Date.now()) : undefined;
    if (!agency || !signedBy || !validity?.ok) {
      const keyRefusal = validity && !validity.ok ? validity.refusal : undefined;
      // Logged (bounded: an address is blocked after AUTH_FAILURES_PER_MINUTE) and counted.
      this.logger.warn(
        {
          agencyId: msg.agencyId,
          reason: !agency
            ? 'unknown-agency'
            : keyRefusal
              ? `key-${keyRefusal.reason}`
              : challenged
                ? 'bad-signature'
                : 'challenge-used',
          ...(keyRefusal ? { keyEpoch: keyRefusal.epoch } : {}),
          address: socket.handshake.address,
        },
        keyRefusal ? `node login refused: ${keyRefusal.message}` : 'node login refused',
      );
      this.refused(socket, keyRefusal ? `key-${keyRefusal.reason}` : 'auth-refused');
      this.failures
        .fail('node', address)
        .catch((e: unknown) =>
          this.logger.error({ err: describeError(e) }, 'failed logins could not be counted'),
        );
      socket.emit(
        ToNode.authResult,
        keyRefusal
          ? {
              ok: false,
              code: 'key-not-valid',
              message: `${keyRefusal.message}: start the node with the agency's current identity key`,
            }
          : {
              ok: false,
              code: 'refused',
              message: 'unknown agency or signature not made by its pinned identity key',
            },
      );
      socket.disconnect(true);
      return;
    }
    const party = agency.party;
    if (this.presence.isConnected(party)) {
      // A second process with the same identity: the running node stays (a node whose
      // connection died is dropped by the heartbeat within NODE_STALL_MS, and its own
      // reconnection then gets through).
      this.logger.warn(
        {
          agencyId: agency.id,
          party,
          reason: 'already-connected',
          address: socket.handshake.address,
        },
        'node login refused: second login of a connected agency',
      );
      socket.emit(ToNode.authResult, {
        ok: false,
        code: 'already-connected',
        message: `agency ${agency.id} is already connected from another node process; the running node stays`,
      });
      socket.disconnect(true);
      return;
    }
    data.party = party;
    data.agencyId = agency.id;
    this.preAuth?.admit(socket.conn);
    checkTextFrames(
      socket.conn,
      SCANNED_TEXT_FROM,
      (text) => checkJsonText(text, NODE_FRAME_TEXT),
      (e) => this.refuseFrame(socket, e),
    );
    const engine = msg.engine ?? 'native';
    socket.emit(ToNode.authResult, { ok: true });
    this.logger.info(
      {
        agencyId: agency.id,
        party,
        engine,
        held: msg.held.length,
        unsettled: msg.unsettled.length,
      },
      'agency node authenticated',
    );
    this.presence.register(socket, {
      party,
      agencyId: agency.id,
      engine,
      held: new Set(msg.held),
      unsettled: new Set(msg.unsettled),
    });
  }

  private route<T extends object>(
    socket: Socket,
    event: string,
    dto: ClassConstructor<T>,
    toEvent: (party: PartyNumber, message: T) => { sessionId: string; event: PartyEvent },
  ): void {
    socket.on(event, (payload: unknown) =>
      this.guard(socket, () => {
        const party = this.partyOf(socket);
        const { sessionId, event: e } = toEvent(party, validate(dto, payload, event));
        this.runtime.dispatch(sessionId, e);
      }),
    );
  }

  /** Runs a handler so that nothing escapes: a refused message goes back as a typed error. */
  private guard(socket: Socket, run: () => void): void {
    try {
      run();
    } catch (e) {
      if (e instanceof WireError) {
        this.refused(socket, e.code);
        socket.emit(ToNode.error, { code: e.code, message: e.message });
        return;
      }
      this.logger.error({ err: describeError(e) }, 'node message handler failed');
      socket.emit(ToNode.error, {
        code: 'internal-error',
        message: 'the coordinator failed to handle the message',
      });
    }
  }

  private refused(socket: Socket, code: string): void {
    const authenticated = (socket.data as NodeSocketData).party !== undefined;
    this.refusals.record('node', code, socket.id, authenticated);
  }

  /**
   * Ends a connection that broke a pre-login limit, synchronously (so socket.io never decodes the
   * frame that broke it): with a typed refusal when it already joined the namespace.
   */
  private refuseConnection(conn: EngineSocket, code: PreAuthRefusal, message: string): void {
    const socket = this.sockets.get(conn);
    this.refusals.record('node', code, socket?.id ?? `engine@${conn.remoteAddress}`, false);
    if (!socket) {
      conn.close(true);
      return;
    }
    socket.emit(ToNode.error, { code, message });
    socket.disconnect(true);
  }

  /** Ends a logged-in connection whose frame was refused unparsed (synchronously, see above). */
  private refuseFrame(socket: Socket, error: WireError): void {
    this.refused(socket, error.code);
    socket.emit(ToNode.error, { code: error.code, message: error.message });
    socket.disconnect(true);
  }

  private partyOf(socket: Socket): PartyNumber {
    const party = (socket.data as NodeSocketData).party;
    if (!party) throw new WireError('invalid-message', 'authenticate first');
    return party;
  }
}

/** A JSON message's shape is checked (bounded, linear) before class-transformer walks it. */
function validate<T extends object>(dto: ClassConstructor<T>, payload: unknown, what: string): T {
  checkShape(payload, NODE_MESSAGE_SHAPE, what);
  return validateMessage(dto, payload, what);
}
