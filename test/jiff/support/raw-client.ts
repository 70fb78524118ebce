import { io, type Socket } from 'socket.io-client';

export interface ServerError {
  readonly label: string;
  readonly error: string;
  readonly code: string;
}

/** A hand-driven socket.io 4 client that speaks JIFF's events, or anything else. */
export interface RawClient {
  readonly socket: Socket;
  /** Emits and resolves with the server's acknowledgement value. */
  send(event: string, ...args: unknown[]): Promise<unknown>;
  /** Emits without requesting an acknowledgement (as JIFF does for `initialization`). */
  fire(event: string, ...args: unknown[]): void;
  /** The next `error` event (in arrival order). */
  nextError(): Promise<ServerError>;
  /** The next event of this name; its payload JSON-parsed. Mailbox events are acknowledged. */
  next(event: string): Promise<Record<string, unknown>>;
  close(): void;
}

export async function rawClient(url: string): Promise<RawClient> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  const queues = new Map<string, unknown[]>();
  const waiters = new Map<string, ((value: unknown) => void)[]>();
  const push = (event: string, value: unknown): void => {
    const waiting = waiters.get(event)?.shift();
    if (waiting !== undefined) waiting(value);
    else queues.set(event, [...(queues.get(event) ?? []), value]);
  };
  const take = (event: string): Promise<unknown> => {
    const queued = queues.get(event)?.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => waiters.set(event, [...(waiters.get(event) ?? []), resolve]));
  };
  socket.onAny((event: string, payload: unknown, ack?: (ok: boolean) => void) => {
    ack?.(true);
    push(event, typeof payload === 'string' ? JSON.parse(payload) : payload);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return {
    socket,
    send: (event, ...args) => socket.timeout(5000).emitWithAck(event, ...args) as Promise<unknown>,
    fire: (event, ...args) => void socket.emit(event, ...args),
    nextError: () => take('error') as Promise<ServerError>,
    next: (event) => take(event) as Promise<Record<string, unknown>>,
    close: () => void socket.disconnect(),
  };
}

/** A syntactically valid X25519 public key in JIFF's format (the value does not matter here). */
export function fakePublicKey(seed: number): string {
  return `[${Array.from({ length: 32 }, (_, i) => (seed * 31 + i * 7) % 256).join(',')}]`;
}
