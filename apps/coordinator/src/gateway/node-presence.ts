import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { PartyNumber } from '#concord/transcript';
import { type DataCoverage, type NodeEngine, ToNode } from '#concord/wire';
import { Clock } from '../config/clock.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import { partyRoom, ReplicaLink } from '../cluster/replica-link.js';
import { parseAnnouncement } from './presence-announcement.js';

/** What an agency node said about itself when it authenticated. */
export interface NodeLogin {
  readonly party: PartyNumber;
  readonly agencyId: string;
  readonly engine: NodeEngine;
  /** Sessions the node process holds in memory. */
  readonly held: ReadonlySet<string>;
  /** Sessions whose charge the node's ledger has not settled. */
  readonly unsettled: ReadonlySet<string>;
  /** What data the node announced it holds since it logged in (public metadata). */
  readonly coverage?: DataCoverage;
}

interface Connection {
  readonly socket: Socket;
  /** Replaced (never mutated) when `held` changes: announcements and listeners share it. */
  login: NodeLogin;
  /** What the node held when it logged in. */
  readonly heldAtLogin: ReadonlySet<string>;
  /** Sessions it accepted since, with when (oldest first). */
  readonly accepted: Map<string, number>;
  lastHeard: number;
  seq: number;
}

/** `here`: the node's socket is on this replica; `elsewhere`: on another replica. */
export type LoginPlace = 'here' | 'elsewhere';
/**
 * Sessions accepted on one connection that its login names as held, at most (oldest dropped
 * first), on top of those the login itself named. An acceptance older than SESSION_TIMEOUT_MS is
 * dropped too: its session has ended (timed out at the latest), so it no longer matters to a
 * takeover, and announcements stay small.
 */
export const MAX_ACCEPTED_PER_LOGIN = 1_000;

type OnlineListener = (login: NodeLogin, place: LoginPlace) => void;
type LostListener = (party: PartyNumber) => void;

/** Another replica's nodes, as it last announced them. */
interface RemoteReplica {
  logins: NodeLogin[];
  heardAt: number;
}

/**
 * Which agency node is connected as which party, and whether it is alive. One socket per party:
 * the gateway refuses a second login of a connected agency (the running node stays). Liveness is the application's own heartbeat, not only the transport's
 * ping: a node that stops answering (a stalled or stopped process, a half-open connection) is
 * dropped after `NODE_STALL_MS`, so its sessions start their lease within seconds.
 *
 * With several replicas, each announces its nodes to the others at every heartbeat and on every
 * change; a replica that stops announcing (killed, cut off) loses its nodes after `NODE_STALL_MS`.
 * `logins`, `isConnected` and `send` then cover the whole cluster: a second login is refused
 * whichever replica the first one is on, and a session reaches a party on any replica.
 */
@Injectable()
export class NodePresence implements OnApplicationShutdown {
  private readonly connections = new Map<PartyNumber, Connection>();
  private readonly remote = new Map<string, RemoteReplica>();
  private readonly online: OnlineListener[] = [];
  private readonly lost: LostListener[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly link: ReplicaLink,
  ) {
    this.timer = setInterval(() => this.beat(), config.HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
    link.on('presence', (payload, from) => this.heardFrom(from, parseAnnouncement(payload)));
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Takes a node's login (the gateway refused it if its agency was already connected). */
  register(socket: Socket, login: NodeLogin): void {
    this.connections.set(login.party, {
      socket,
      login,
      heldAtLogin: login.held,
      accepted: new Map(),
      lastHeard: this.clock.now(),
      seq: 0,
    });
    void socket.join(partyRoom(login.party));
    this.announce();
    for (const l of this.online) l(login, 'here');
  }

  /** The socket closed: the party is lost, unless a newer login already replaced it. */
  unregister(party: PartyNumber, socket: Socket): void {
    if (this.connections.get(party)?.socket.id !== socket.id) return;
    this.connections.delete(party);
    this.announce();
    if (!this.isConnected(party)) for (const l of this.lost) l(party);
  }

  /**
   * The node on this socket accepted a session: from now on its login says it holds it. A login's
   * `held` is what the node held when it logged in; a node that stays connected holds what it has
   * accepted since too, and a replica that takes over a session after its owner died must know
   * that (it would otherwise take the node for one that restarted and lost the session's
   * secrets). A restarted node logs in again, with what it really holds.
   */
  noteHeld(party: PartyNumber, socket: Socket, sessionId: string): void {
    const c = this.connections.get(party);
    if (c?.socket.id !== socket.id || c.login.held.has(sessionId)) return;
    c.accepted.set(sessionId, this.clock.now());
    this.forgetEnded(c);
    // Before the acceptance is forwarded to the session's owner: every replica knows it first.
    this.announce();
  }

  /** The node on this socket announced what data it holds (replacing what it said before). */
  noteCoverage(party: PartyNumber, socket: Socket, coverage: DataCoverage): void {
    const c = this.connections.get(party);
    if (c?.socket.id !== socket.id) return;
    c.login = { ...c.login, coverage };
    this.announce();
  }

  /** Drops acceptances past SESSION_TIMEOUT_MS or the bound; recomputes `held` if any changed. */
  private forgetEnded(c: Connection): void {
    const oldest = this.clock.now() - this.config.SESSION_TIMEOUT_MS;
    for (const [id, at] of c.accepted) {
      if (at >= oldest && c.accepted.size <= MAX_ACCEPTED_PER_LOGIN) break;
      c.accepted.delete(id);
    }
    const held = new Set([...c.heldAtLogin, ...c.accepted.keys()]);
    if (held.size !== c.login.held.size || [...held].some((id) => !c.login.held.has(id)))
      c.login = { ...c.login, held };
  }

  /** A heartbeat answer (any seq counts: it proves the process runs and reads its socket). */
  heard(party: PartyNumber, socket: Socket): void {
    const c = this.connections.get(party);
    if (c?.socket.id === socket.id) c.lastHeard = this.clock.now();
  }

  /** Whether the party's node is connected, to this replica or another. */
  isConnected(party: number): boolean {
    return this.connections.has(party as PartyNumber) || this.remoteLogin(party) !== undefined;
  }

  /** Every connected node, on this replica or another (one login per party). */
  logins(): NodeLogin[] {
    const here = [...this.connections.values()].map((c) => c.login);
    const elsewhere = ([1, 2, 3] as const).flatMap((p) => {
      const login = this.connections.has(p) ? undefined : this.remoteLogin(p);
      return login ? [login] : [];
    });
    return [...here, ...elsewhere];
  }

  /** Sends to a party; false when it is not connected (the sessions resend on its return). */
  send(party: PartyNumber, event: string, payload: unknown): boolean {
    const c = this.connections.get(party);
    if (c) {
      c.socket.emit(event, payload);
      return true;
    }
    if (!this.remoteLogin(party)) return false;
    this.link.toParty(party, event, payload);
    return true;
  }

  whenOnline(listener: OnlineListener): void {
    this.online.push(listener);
  }

  whenLost(listener: LostListener): void {
    this.lost.push(listener);
  }

  private remoteLogin(party: number): NodeLogin | undefined {
    for (const r of this.remote.values()) {
      const login = r.logins.find((l) => l.party === party);
      if (login) return login;
    }
    return undefined;
  }

  private announce(): void {
    if (!this.link.clustered) return;
    this.link.broadcast('presence', {
      logins: [...this.connections.values()].map(({ login }) => ({
        ...login,
        held: [...login.held],
        unsettled: [...login.unsettled],
      })),
    });
  }

  /** Another replica's announcement: its nodes that arrived come online, those gone are lost. */
  private heardFrom(replica: string, logins: NodeLogin[]): void {
    const before = this.remote.get(replica)?.logins ?? [];
    this.remote.set(replica, { logins, heardAt: this.clock.now() });
    this.changed(before, logins);
  }

  private changed(before: readonly NodeLogin[], after: readonly NodeLogin[]): void {
    for (const login of after) {
      if (!before.some((b) => b.party === login.party) && !this.connections.has(login.party))
        for (const l of this.online) l(login, 'elsewhere');
    }
    for (const gone of before) {
      if (!after.some((a) => a.party === gone.party) && !this.isConnected(gone.party))
        for (const l of this.lost) l(gone.party);
    }
  }

  private beat(): void {
    const now = this.clock.now();
    for (const [replica, r] of [...this.remote]) {
      if (now - r.heardAt <= this.config.NODE_STALL_MS) continue;
      this.logger.warn(
        { replica, nodes: r.logins.map((l) => l.agencyId) },
        'coordinator replica stopped announcing its nodes; they count as disconnected',
      );
      this.remote.delete(replica);
      this.changed(r.logins, []);
    }
    for (const c of this.connections.values()) this.forgetEnded(c);
    this.announce();
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
