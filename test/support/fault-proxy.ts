import { EventEmitter, once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/** What a proxy that is down does with a new connection. */
export type OutageMode =
  /** The port is closed: connecting fails at once with ECONNREFUSED (a server that is down). */
  | 'refuse'
  /** Connections are accepted and held unanswered until up() (a network black hole). */
  | 'hold';

/**
 * A TCP proxy on loopback with switches for the faults a fault test needs: `drop()` cuts every
 * current connection and keeps serving (a transient network failure: clients reconnect through
 * it), `down()` cuts them and refuses or holds new ones until `up()` (the server behind it is
 * unavailable). Connections are cut with a TCP reset, as a broken network or a dead peer does.
 *
 * It listens on one fixed port for its whole life (re-listening after a 'refuse' outage), so the
 * address clients were configured with stays valid.
 */
export class FaultProxy {
  private readonly server: Server;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private held: Socket[] = [];
  private outage: OutageMode | undefined;
  private acceptedCount = 0;
  private readonly events = new EventEmitter();

  private constructor(
    private readonly targetPort: number,
    private listenPort: number,
  ) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Listens on `port` (0: any free port) and forwards to 127.0.0.1:`targetPort`. */
  static async start(targetPort: number, port = 0): Promise<FaultProxy> {
    const proxy = new FaultProxy(targetPort, port);
    await proxy.listen();
    return proxy;
  }

  /** The port clients connect to. */
  get port(): number {
    return this.listenPort;
  }

  /** Connections accepted and forwarded since start (a reconnect counts again). */
  get accepted(): number {
    return this.acceptedCount;
  }

  /** Connections forwarded and still open. */
  get open(): number {
    return this.pairs.size;
  }

  /** Resolves once `accepted` reaches `count` (e.g. three nodes reconnected after a drop). */
  async waitForAccepted(count: number, timeoutMs = 30_000): Promise<void> {
    const timeout = AbortSignal.timeout(timeoutMs);
    while (this.acceptedCount < count) {
      await once(this.events, 'accepted', { signal: timeout }).catch(() => {
        throw new Error(`proxy :${this.port}: ${this.acceptedCount} of ${count} connections`);
      });
    }
  }

  /** Resolves once no connection is open (e.g. a stopped client's connection has closed). */
  async waitForIdle(timeoutMs = 30_000): Promise<void> {
    const timeout = AbortSignal.timeout(timeoutMs);
    while (this.pairs.size > 0) {
      await once(this.events, 'closed', { signal: timeout }).catch(() => {
        throw new Error(`proxy :${this.port}: ${this.pairs.size} connections still open`);
      });
    }
  }

  /** Resets every current connection, keeps listening; returns how many it cut. */
  drop(): number {
    const cut = this.pairs.size;
    for (const pair of [...this.pairs]) this.cut(pair);
    return cut;
  }

  /** An outage: resets every connection, then refuses or holds new ones until up(). */
  async down(mode: OutageMode = 'refuse'): Promise<void> {
    if (this.outage) throw new Error(`proxy :${this.port} is already down`);
    this.outage = mode;
    // close() stops accepting at once but calls back only when the last connection has closed.
    const closed =
      mode === 'refuse' ? new Promise<void>((done) => this.server.close(() => done())) : undefined;
    this.drop();
    await closed;
  }

  /** Ends the outage: listens again (after 'refuse') or forwards the held connections. */
  async up(): Promise<void> {
    const mode = this.outage;
    this.outage = undefined;
    if (mode === 'refuse') await this.listen();
    const held = this.held;
    this.held = [];
    for (const client of held) if (!client.destroyed) this.forward(client);
  }

  async close(): Promise<void> {
    this.outage = undefined;
    for (const client of this.held) client.destroy();
    this.held = [];
    this.drop();
    if (this.server.listening) await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async listen(): Promise<void> {
    this.server.listen(this.listenPort, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    if (typeof address === 'object' && address) this.listenPort = address.port;
  }

  private accept(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.outage === 'hold') {
      client.pause();
      this.held.push(client);
      return;
    }
    this.forward(client);
  }

  private forward(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair = { client, upstream };
    this.pairs.add(pair);
    this.acceptedCount++;
    this.events.emit('accepted');
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      if (this.pairs.delete(pair)) this.events.emit('closed');
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private cut(pair: { client: Socket; upstream: Socket }): void {
    if (this.pairs.delete(pair)) this.events.emit('closed');
    for (const socket of [pair.client, pair.upstream]) {
      if (socket.destroyed) continue;
      // A reset needs a connected TCP handle; one still connecting is simply destroyed.
      if (socket.connecting) socket.destroy();
      else socket.resetAndDestroy();
    }
  }
}
