import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { PartyNumber } from '#concord/transcript';
import { type NodeEngine, ToNode } from '#concord/wire';
import { Clock } from '../config/clock.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';

/** What an agency node said about itself when it authenticated. */
export interface NodeLogin {
  readonly party: PartyNumber;
  readonly agencyId: string;
  readonly engine: NodeEngine;
  /** Sessions the node process holds in memory. */
  readonly held: ReadonlySet<string>;
  /** Sessions whose charge the node's ledger has not settled. */
  readonly unsettled: ReadonlySet<string>;
}

interface Connection {
  readonly socket: Socket;
  readonly login: NodeLogin;
  lastHeard: number;
  seq: number;
}

type OnlineListener = (login: NodeLogin) => void;
type LostListener = (party: PartyNumber) => void;

/**
 * Which agency node is connected as which party, and whether it is alive. One socket per party:
 * the gateway refuses a second login of a connected agency (the running node stays). Liveness is the application's own heartbeat, not only the transport's
 * ping: a node that stops answering (a stalled or stopped process, a half-open connection) is
 * dropped after `NODE_STALL_MS`, so its sessions start their lease within seconds.
 */
@Injectable()
export class NodePresence implements OnApplicationShutdown {
  private readonly connections = new Map<PartyNumber, Connection>();
  private readonly online: OnlineListener[] = [];
  private readonly lost: LostListener[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
  ) {
    this.timer = setInterval(() => this.beat(), config.HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Takes a node's login (the gateway refused it if its agency was already connected). */
  register(socket: Socket, login: NodeLogin): void {
    this.connections.set(login.party, { socket, login, lastHeard: this.clock.now(), seq: 0 });
    for (const l of this.online) l(login);
  }

  /** The socket closed: the party is lost, unless a newer login already replaced it. */
  unregister(party: PartyNumber, socket: Socket): void {
    if (this.connections.get(party)?.socket.id !== socket.id) return;
    this.connections.delete(party);
    for (const l of this.lost) l(party);
  }

  /** A heartbeat answer (any seq counts: it proves the process runs and reads its socket). */
  heard(party: PartyNumber, socket: Socket): void {
    const c = this.connections.get(party);
    if (c?.socket.id === socket.id) c.lastHeard = this.clock.now();
  }

  isConnected(party: number): boolean {
    return this.connections.has(party as PartyNumber);
  }

  logins(): NodeLogin[] {
    return [...this.connections.values()].map((c) => c.login);
  }

  /** Sends to a party; false when it is not connected (the sessions resend on its return). */
  send(party: PartyNumber, event: string, payload: unknown): boolean {
    const c = this.connections.get(party);
    if (!c) return false;
    c.socket.emit(event, payload);
    return true;
  }

  whenOnline(listener: OnlineListener): void {
    this.online.push(listener);
  }

  whenLost(listener: LostListener): void {
    this.lost.push(listener);
  }

  private beat(): void {
    const now = this.clock.now();
    for (const [party, c] of [...this.connections]) {
      if (now - c.lastHeard > this.config.NODE_STALL_MS) {
        this.logger.warn(
          { party, agencyId: c.login.agencyId, silentMs: now - c.lastHeard },
          'agency node stopped answering heartbeats; dropping its connection',
        );
        c.socket.disconnect(true);
        this.unregister(party, c.socket);
        continue;
      }
      c.socket.emit(ToNode.heartbeat, { seq: ++c.seq });
    }
  }
}
