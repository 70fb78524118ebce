import type { Server, Socket } from 'socket.io';

type EngineServer = Server['engine'];
/** An engine.io connection (socket.io's transport under every namespace socket). */
export type EngineSocket = Socket['conn'];

/** What a socket may do before it has logged in. */
export interface PreAuthLimits {
  /** Largest frame (bytes of a binary frame, characters of a text frame). */
  readonly maxFrameBytes: number;
  /** Frames in all before login. */
  readonly maxFrames: number;
  /** Connections waiting for login at once, in all. */
  readonly maxPending: number;
  /** Connections waiting for login at once from one address. */
  readonly maxPendingPerAddress: number;
  /** A connection that has not logged in by then is closed (0: no deadline here). */
  readonly deadlineMs: number;
}

export type PreAuthRefusal =
  'frame-too-large' | 'too-many-frames' | 'too-many-connections' | 'login-timeout';

/**
 * Called when a connection broke a pre-login limit. It must end the connection synchronously
 * (socket.io's `socket.disconnect(true)`, or the engine's `close(true)` before any namespace
 * joined): the frame that broke the limit is then never handed to the socket.io decoder.
 */
export type PreAuthRefuse = (conn: EngineSocket, code: PreAuthRefusal, message: string) => void;

export interface PreAuthBinding {
  /** The connection logged in: from now on only the server's own frame limit applies. */
  admit(conn: EngineSocket): void;
  detach(): void;
}

interface EnginePacket {
  readonly type: string;
  readonly data?: unknown;
}

/**
 * Bounds what an engine.io connection may send before it logs in, before socket.io decodes it.
 * The engine emits every received packet as `packet` just before it hands the packet's data to
 * socket.io's decoder; checking the raw length there means an oversized or surplus frame from an
 * unauthenticated client costs a length comparison, never a JSON parse. (The transport still
 * buffers the frame up to the server's `maxHttpBufferSize`; `maxPending` bounds how many such
 * buffers unauthenticated clients can hold at once.)
 */
export function boundPreAuthFrames(
  engine: EngineServer,
  limits: PreAuthLimits,
  refuse: PreAuthRefuse,
): PreAuthBinding {
  const pending = new Map<EngineSocket, () => void>();
  const perAddress = new Map<string, number>();

  const release = (conn: EngineSocket, address: string): void => {
    const detach = pending.get(conn);
    if (!detach) return;
    detach();
    pending.delete(conn);
    const left = (perAddress.get(address) ?? 1) - 1;
    if (left > 0) perAddress.set(address, left);
    else perAddress.delete(address);
  };

  const onConnection = (conn: EngineSocket): void => {
    const address = conn.remoteAddress;
    const fromAddress = perAddress.get(address) ?? 0;
    if (pending.size >= limits.maxPending || fromAddress >= limits.maxPendingPerAddress) {
      refuse(conn, 'too-many-connections', 'too many connections are waiting to log in');
      return;
    }
    let frames = 0;
    const onPacket = (packet: EnginePacket): void => {
      if (packet.type !== 'message') return;
      const size = sizeOf(packet.data);
      if (size > limits.maxFrameBytes) {
        release(conn, address);
        refuse(
          conn,
          'frame-too-large',
          `a frame before login may hold ${limits.maxFrameBytes} bytes`,
        );
      } else if (++frames > limits.maxFrames) {
        release(conn, address);
        refuse(
          conn,
          'too-many-frames',
          `a socket may send ${limits.maxFrames} frames before login`,
        );
      }
    };
    const onClose = (): void => release(conn, address);
    const timer =
      limits.deadlineMs > 0
        ? setTimeout(() => {
            release(conn, address);
            refuse(conn, 'login-timeout', `log in within ${limits.deadlineMs} ms`);
          }, limits.deadlineMs)
        : undefined;
    timer?.unref();
    conn.on('packet', onPacket);
    conn.once('close', onClose);
    pending.set(conn, () => {
      clearTimeout(timer);
      conn.off('packet', onPacket);
      conn.off('close', onClose);
    });
    perAddress.set(address, fromAddress + 1);
  };

  engine.on('connection', onConnection);
  return {
    admit: (conn) => release(conn, conn.remoteAddress),
    detach() {
      engine.off('connection', onConnection);
      for (const [conn] of [...pending]) release(conn, conn.remoteAddress);
    },
  };
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}
