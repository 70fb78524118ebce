import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { JIFF_SOCKET_PATH } from '#concord/wire';

/**
 * socket.io over Redis, for several coordinator replicas: a message emitted to a party's room on
 * one replica reaches the node's socket on whichever replica it is connected to, and replicas
 * reach each other (`serverSideEmit`) for node presence and forwarded party messages. Only the
 * agency-node server is clustered; the JIFF endpoint keeps its computations in one process.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly clients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly redisUrl: string,
    private readonly keyPrefix: string,
    /** Connection trouble, once per change (ioredis reconnects by itself, with backoff). */
    private readonly onTrouble: (message: string | undefined) => void,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    if (options?.path === JIFF_SOCKET_PATH) return server;
    const pub = new Redis(this.redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) {
      // An 'error' without a listener would crash the process; each distinct one is reported.
      let last: string | undefined;
      client.on('error', (e: Error) => {
        if (e.message !== last) this.onTrouble((last = e.message));
      });
      client.on('ready', () => {
        if (last !== undefined) this.onTrouble((last = undefined));
      });
    }
    this.clients.push(pub, sub);
    server.adapter(createAdapter(pub, sub, { key: this.keyPrefix }));
    return server;
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(this.clients.map((c) => c.quit().catch(() => c.disconnect())));
  }
}
