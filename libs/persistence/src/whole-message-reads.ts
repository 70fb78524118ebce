import type { Socket } from 'node:net';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PgMessageFramer } from './pg-message-framer.js';

type ConnectionHandler = (socket: Socket) => Promise<void>;

/**
 * Makes `server` hand each connection's reads to PGlite's socket handler as whole messages.
 *
 * Why: `@electric-sql/pglite-socket` (0.2.17, and 0.2.18, the latest) appends every 64 KiB read
 * to its buffer with `Buffer.concat`, so a message of n reads is copied n times over: about 130 MB
 * for one 4 MB `bytea` parameter, a third of the embedded database's CPU in a report of 10⁶
 * values (docs/performance.md). Given whole messages, it copies each once.
 *
 * How: the server passes each new socket to its per-connection method, `handleConnection`, which
 * is private to the library; this wraps the socket first, so that the handler's `data` listener
 * is fed by a `PgMessageFramer`. Everything else on the socket is the socket itself. The library
 * is pinned; if a release renames that method, this throws at start-up instead of silently
 * running without it.
 */
export function readWholeMessages(server: PGLiteSocketServer): void {
  const target = server as unknown as { handleConnection?: ConnectionHandler };
  const original = target.handleConnection;
  if (typeof original !== 'function') {
    throw new Error(
      '@electric-sql/pglite-socket no longer has handleConnection; whole-message reads need updating',
    );
  }
  target.handleConnection = (socket) => original.call(server, framedSocket(socket));
}

/** `socket`, except that a `data` listener gets whole messages. */
function framedSocket(socket: Socket): Socket {
  const framed: Socket = new Proxy(socket, {
    get(target, key) {
      if (key === 'on' || key === 'addListener') {
        return (event: string, listener: (...args: unknown[]) => void) => {
          if (event === 'data') {
            const framer = new PgMessageFramer();
            target.on('data', (read: Buffer) => {
              const whole = framer.push(read);
              if (whole.length > 0) listener(whole);
            });
          } else {
            target.on(event, listener);
          }
          return framed;
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return framed;
}
