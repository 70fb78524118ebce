import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * The "one URL" in front of several coordinator replicas, as a deployment's proxy is: a TCP
 * balancer on loopback that hands each new connection to the next backend in turn, and to the
 * one after if that backend refuses (it is down). Connections are not moved: when a replica dies,
 * its clients' connections die with it and they reconnect through the balancer.
 */
export class TcpBalancer {
  private next = 0;
  private readonly open = new Set<Socket>();
  /** Which backend port each accepted connection went to, in order (for assertions). */
  readonly routed: number[] = [];

  private constructor(
    private readonly server: Server,
    private readonly backends: readonly number[],
  ) {}

  static async start(backends: readonly number[], port = 0): Promise<TcpBalancer> {
    const balancer: TcpBalancer = new TcpBalancer(
      createServer((client) => balancer.accept(client)),
      backends,
    );
    balancer.server.listen(port, '127.0.0.1');
    await once(balancer.server, 'listening');
    return balancer;
  }

  get port(): number {
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('balancer is not listening');
    return address.port;
  }

  async close(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.pause();
    this.track(client);
    this.tryBackend(client, 0);
  }

  private tryBackend(client: Socket, attempt: number): void {
    if (attempt >= this.backends.length || client.destroyed) {
      client.destroy();
      return;
    }
    const port = this.backends[this.next++ % this.backends.length];
    const upstream = connect(port, '127.0.0.1');
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.routed.push(port);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
    });
    upstream.once('error', () => {
      if (!connected) this.tryBackend(client, attempt + 1);
    });
  }

  private track(socket: Socket): void {
    this.open.add(socket);
    socket.on('close', () => this.open.delete(socket));
    socket.on('error', () => undefined);
  }
}
