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
 * unauthenticated client costs a length comparison, never a JSON parse. Far larger frames are not
 * even buffered: until login the connection's transport takes at most twice the limit per message
 * (`capTransport`), so a 33 MB frame ends the connection at its header.
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
    const transportCap = 2 * limits.maxFrameBytes;
    let restore = capTransport(conn, transportCap);
    const onUpgrade = (): void => {
      restore = capTransport(conn, transportCap);
    };
    conn.on('packet', onPacket);
    conn.on('upgrade', onUpgrade);
    conn.once('close', onClose);
    pending.set(conn, () => {
      clearTimeout(timer);
      conn.off('packet', onPacket);
      conn.off('upgrade', onUpgrade);
      conn.off('close', onClose);
      restore();
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

interface CappableTransport {
  /** engine.io's polling transport: the largest request body it reads. */
  maxHttpBufferSize?: number;
  /** engine.io's websocket transport: the `ws` socket, whose receiver enforces `_maxPayload`. */
  socket?: { _receiver?: { _maxPayload?: number } };
}

/**
 * Lowers the per-message cap of the connection's current transport to `bytes`, and returns what
 * restores the server's cap. The websocket cap is a private field of `ws` (8.x); where it is
 * absent nothing changes and the frame check above still refuses the frame before decoding.
 */
function capTransport(conn: EngineSocket, bytes: number): () => void {
  const transport = conn.transport as unknown as CappableTransport;
  const receiver = transport.socket?._receiver;
  if (receiver && typeof receiver._maxPayload === 'number') {
    const original = receiver._maxPayload;
    receiver._maxPayload = bytes;
    return () => {
      receiver._maxPayload = original;
    };
  }
  if (typeof transport.maxHttpBufferSize === 'number') {
    const original = transport.maxHttpBufferSize;
    transport.maxHttpBufferSize = bytes;
    return () => {
      transport.maxHttpBufferSize = original;
    };
  }
  return () => undefined;
}
