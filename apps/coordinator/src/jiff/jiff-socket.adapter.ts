import type { Namespace, Server, Socket } from 'socket.io';
import type {
  JiffAction,
  JiffErrorCode,
  JiffInbound,
  JiffRelay,
  JiffResult,
  JiffServerCore,
} from '#concord/jiff-server';
import {
  boundPreAuthFrames,
  type EngineSocket,
  type PreAuthLimits,
  type PreAuthRefusal,
} from '../inbound/pre-auth-frame-bound.js';

/**
 * What the adapter reports for logs, metrics and transcripts: names, codes and digests only,
 * never payloads.
 */
export type JiffAdapterEvent =
  | { readonly type: 'connected' | 'disconnected'; readonly socketId: string }
  | {
      readonly type: 'refused';
      readonly socketId: string;
      /** The event name if it looks like one, else `unknown` (names come from clients). */
      readonly event: string;
      readonly code: JiffErrorCode | PreAuthRefusal;
      /** Whether the socket had initialized (joined a computation with a valid credential). */
      readonly initialized: boolean;
    }
  | { readonly type: 'expired'; readonly socketIds: readonly string[] }
  /** A `share`, `open` or `custom` message was relayed (sender, receiver, `relayDigest`). */
  | ({ readonly type: 'relayed' } & JiffRelay);

export interface JiffSocketAdapterOptions {
  /** Clock for `sweep` (default `Date.now`). */
  readonly now?: () => number;
  /** Period of the automatic `sweep` in ms (default 60 000; 0 disables the timer). */
  readonly sweepIntervalMs?: number;
  readonly onEvent?: (event: JiffAdapterEvent) => void;
  /**
   * Bounds on what a connection may send before its `initialization` is accepted, checked on the
   * raw engine packet before socket.io decodes it (absent: only the server's own frame limit).
   */
  readonly preInitialization?: PreAuthLimits;
}

export interface JiffSocketBinding {
  /** Runs the core's expiry sweep now and performs its actions. */
  sweep(): void;
  /** Withdraws a computation and disconnects its clients. */
  removeComputation(computationId: string): void;
  /** Stops listening (sockets stay connected) and stops the sweep timer. */
  detach(): void;
}

/**
 * Binds a `JiffServerCore` to a socket.io v4 namespace (a `Server` means its default namespace
 * `/`, which is where stock JIFF clients connect). The server must be created with
 * `allowEIO3: true`: jiff-mpc 1.0.0 speaks socket.io v2 / Engine.IO 3.
 */
export function attachJiffServer(
  target: Server | Namespace,
  core: JiffServerCore,
  options: JiffSocketAdapterOptions = {},
): JiffSocketBinding {
  const namespace: Namespace = 'of' in target ? target.of('/') : target;
  const now = options.now ?? Date.now;
  // A throwing host callback must not escape into socket.io's listener loop (it would crash).
  const report = (event: JiffAdapterEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // Reporting is best effort.
    }
  };
  const sockets = new Map<string, Socket>();
  const detachers = new Map<string, () => void>();
  const initialized = new Set<string>();
  const byConn = new WeakMap<EngineSocket, Socket>();
  const preInit =
    options.preInitialization &&
    boundPreAuthFrames(
      namespace.server.engine,
      options.preInitialization,
      (conn, code, message) => {
        const socket = byConn.get(conn);
        report({
          type: 'refused',
          socketId: socket?.id ?? 'engine',
          event: 'frame',
          code,
          initialized: false,
        });
        if (!socket) {
          conn.close(true);
          return;
        }
        // JIFF's error event, with a code of the transport's own; then the connection ends.
        socket.emit(
          'error',
          JSON.stringify({ label: 'frame', error: `${code}: ${message}`, code }),
        );
        socket.disconnect(true);
      },
    );

  const perform = (actions: readonly JiffAction[]): void => {
    for (const action of actions) {
      const socket = sockets.get(action.socketId);
      if (socket === undefined) continue;
      switch (action.kind) {
        case 'emit':
          socket.emit(action.event, action.payload);
          break;
        case 'deliver':
          socket.emit(action.event, action.payload, (status: unknown) => {
            if (status) run({ kind: 'delivered', socketId: socket.id, ref: action.ref });
          });
          break;
        case 'disconnect':
          socket.disconnect(true);
          break;
      }
    }
  };

  const run = (input: JiffInbound): JiffResult => {
    const result = core.handle(input);
    perform(result.actions);
    return result;
  };

  const onConnection = (socket: Socket): void => {
    sockets.set(socket.id, socket);
    byConn.set(socket.conn, socket);
    report({ type: 'connected', socketId: socket.id });
    const onAny = (event: unknown, ...args: unknown[]): void => {
      const ack =
        typeof args.at(-1) === 'function' ? (args.pop() as (ok: boolean) => void) : undefined;
      const name = typeof event === 'string' ? event : '';
      const result = run({ kind: 'message', socketId: socket.id, event: name, args });
      if (result.relay !== undefined) report({ type: 'relayed', ...result.relay });
      if (result.refusal !== undefined) {
        const event = /^[A-Za-z0-9_.:-]{1,64}$/.test(name) ? name : 'unknown';
        report({
          type: 'refused',
          socketId: socket.id,
          event,
          code: result.refusal,
          initialized: initialized.has(socket.id),
        });
      } else if (name === 'initialization' && result.accepted) {
        initialized.add(socket.id);
        preInit?.admit(socket.conn);
      }
      // JIFF never acknowledges `initialization`; every other event gets the verdict.
      if (ack !== undefined && name !== 'initialization') ack(result.accepted);
    };
    const onDisconnect = (): void => {
      sockets.delete(socket.id);
      detachers.delete(socket.id);
      initialized.delete(socket.id);
      run({ kind: 'disconnect', socketId: socket.id });
      report({ type: 'disconnected', socketId: socket.id });
    };
    // A frame socket.io cannot decode is reported as an `error` event; without a listener the
    // socket would throw it.
    const onError = (): void =>
      report({
        type: 'refused',
        socketId: socket.id,
        event: 'frame',
        code: 'invalid-payload',
        initialized: initialized.has(socket.id),
      });
    socket.onAny(onAny);
    socket.on('disconnect', onDisconnect);
    socket.on('error', onError);
    detachers.set(socket.id, () => {
      socket.offAny(onAny);
      socket.off('disconnect', onDisconnect);
      socket.off('error', onError);
    });
  };

  const sweep = (): void => {
    const actions = core.sweep(now());
    const socketIds = actions.filter((a) => a.kind === 'disconnect').map((a) => a.socketId);
    if (socketIds.length > 0) report({ type: 'expired', socketIds });
    perform(actions);
  };

  namespace.on('connection', onConnection);
  const interval = options.sweepIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(sweep, interval) : undefined;
  timer?.unref();

  return {
    sweep,
    removeComputation(computationId: string): void {
      perform(core.removeComputation(computationId));
    },
    detach(): void {
      if (timer !== undefined) clearInterval(timer);
      preInit?.detach();
      namespace.off('connection', onConnection);
      for (const detach of detachers.values()) detach();
      detachers.clear();
      sockets.clear();
    },
  };
}
