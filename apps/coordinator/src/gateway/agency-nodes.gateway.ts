import { Inject, type OnApplicationShutdown } from '@nestjs/common';
import { type OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { ClassConstructor } from 'class-transformer';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import {
  AbortReportDto,
  AuthResponseDto,
  FromNode,
  NODE_NAMESPACE,
  NoiseCommitDto,
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
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import { NodeEngines } from '../jiff/node-engines.js';
import { RelayRefusal, SessionOrchestrator } from '../sessions/session-orchestrator.service.js';
import { NodeConnections } from './node-connections.js';

const AUTH_TIMEOUT_MS = 10_000;

interface NodeSocketData {
  nonce?: string;
  party?: number;
  agencyId?: string;
}

/**
 * The socket.io namespace agency nodes connect to. A node proves its identity by signing a fresh
 * challenge with the Ed25519 key pinned for its agency; until then every other event is refused.
 * Every inbound message is size-limited and validated; no message can throw past this class.
 */
@WebSocketGateway({ namespace: NODE_NAMESPACE, maxHttpBufferSize: WireLimits.maxFrameBytes })
export class AgencyNodesGateway implements OnGatewayConnection, OnApplicationShutdown {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly agencies: AgenciesService,
    private readonly connections: NodeConnections,
    private readonly orchestrator: SessionOrchestrator,
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly engines: NodeEngines,
  ) {}

  handleConnection(socket: Socket): void {
    const data = socket.data as NodeSocketData;
    data.nonce = randomBytes(32).toString('hex');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!data.party) socket.disconnect(true);
    }, AUTH_TIMEOUT_MS);
    this.timers.add(timer);
    socket.on('disconnect', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
      if (data.party) this.connections.unregister(data.party, socket);
    });
    socket.on(FromNode.authResponse, (payload: unknown) =>
      this.guard(socket, () => this.authenticate(socket, payload)),
    );
    this.route(socket, FromNode.sessionAccept, SessionAcceptDto, (p, m) =>
      this.orchestrator.onAccept(p, m),
    );
    this.route(socket, FromNode.sessionDecline, SessionDeclineDto, (p, m) =>
      this.orchestrator.onDecline(p, m),
    );
    this.route(socket, FromNode.sessionCommit, NoiseCommitDto, (p, m) =>
      this.orchestrator.onCommit(p, m),
    );
    this.route(socket, FromNode.sessionResult, ResultReportDto, (p, m) =>
      this.orchestrator.onResult(p, m),
    );
    this.route(socket, FromNode.sessionSeal, SealDto, (p, m) => this.orchestrator.onSeal(p, m));
    this.route(socket, FromNode.sessionAbort, AbortReportDto, (p, m) =>
      this.orchestrator.onAbortReport(p, m),
    );
    socket.on(FromNode.sessionEnvelope, (payload: unknown) =>
      this.guard(
        socket,
        () => this.orchestrator.onEnvelope(this.partyOf(socket), payload),
        sessionOfEnvelope(payload),
      ),
    );
    socket.emit(ToNode.authChallenge, {
      nonce: data.nonce,
      coordinator: this.config.COORDINATOR_NAME,
    });
  }

  onApplicationShutdown(): void {
    for (const t of this.timers) clearTimeout(t);
  }

  private authenticate(socket: Socket, payload: unknown): void {
    const data = socket.data as NodeSocketData;
    const msg = validateMessage(AuthResponseDto, payload, 'auth.response');
    const agency = this.agencies.byId(msg.agencyId);
    const ok =
      !!agency &&
      !!data.nonce &&
      verifyAuthChallenge(
        agency.identityKey,
        data.nonce,
        msg.agencyId,
        this.config.COORDINATOR_NAME,
        msg.signature,
      );
    data.nonce = undefined; // one attempt per challenge
    if (!ok || !agency) {
      this.logger.warn({ agencyId: msg.agencyId }, 'node authentication refused');
      socket.emit(ToNode.authResult, {
        ok: false,
        message: 'unknown agency or signature not made by its pinned identity key',
      });
      socket.disconnect(true);
      return;
    }
    data.party = agency.party;
    data.agencyId = agency.id;
    // Known before the node counts as connected: invitations pick the session's engine from it.
    const engine = msg.engine ?? 'native';
    this.engines.announce(agency.party, engine);
    socket.emit(ToNode.authResult, { ok: true });
    this.connections.register(agency.party, socket);
    this.logger.info(
      { agencyId: agency.id, party: agency.party, engine },
      'agency node authenticated',
    );
  }

  private route<T extends object>(
    socket: Socket,
    event: string,
    dto: ClassConstructor<T>,
    handle: (party: number, message: T) => Promise<void>,
  ): void {
    socket.on(event, (payload: unknown) =>
      this.guard(
        socket,
        () => handle(this.partyOf(socket), validateMessage(dto, payload, event)),
        sessionOf(payload),
      ),
    );
  }

  /** Runs a handler so that nothing escapes: refusals go back to the node as typed errors. */
  private guard(socket: Socket, run: () => unknown, sessionId?: string): void {
    Promise.resolve()
      .then(run)
      .catch(async (e: unknown) => {
        const party = (socket.data as NodeSocketData).party;
        if (e instanceof WireError || e instanceof RelayRefusal) {
          socket.emit(ToNode.error, {
            code: e instanceof WireError ? e.code : 'refused',
            message: e.message,
          });
          if (party && e instanceof RelayRefusal)
            await this.orchestrator.refuse(sessionId, party, e.message);
          return;
        }
        this.logger.error(
          { err: e instanceof Error ? e.message : String(e) },
          'node message handler failed',
        );
        if (party) await this.orchestrator.failInternally(sessionId, party);
        socket.emit(ToNode.error, {
          code: 'internal-error',
          message: 'the coordinator failed to handle the message',
        });
      })
      .catch(() => undefined);
  }

  private partyOf(socket: Socket): number {
    const party = (socket.data as NodeSocketData).party;
    if (!party) throw new RelayRefusal('authenticate first');
    return party;
  }
}

function sessionOf(payload: unknown): string | undefined {
  const id = (payload as { sessionId?: unknown } | null)?.sessionId;
  return typeof id === 'string' ? id : undefined;
}

function sessionOfEnvelope(payload: unknown): string | undefined {
  if (!(payload instanceof Uint8Array) || payload.byteLength > WireLimits.maxEnvelopeBytes)
    return undefined;
  try {
    const text = Buffer.from(
      payload.buffer,
      payload.byteOffset,
      Math.min(payload.byteLength, 1100),
    ).toString('utf8');
    return /"sessionId":"([0-9a-f-]{36})"/.exec(text)?.[1];
  } catch {
    return undefined;
  }
}
