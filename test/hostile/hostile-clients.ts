import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';

// Hand-driven hostile clients for the hostile-input suite. Each connects from a loopback address
// of its own (127.0.0.x), so per-address limits it triggers never touch the honest clients.

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | undefined;
  readonly body: string;
}

/** One HTTP request with full control of headers and raw body, from `localAddress`. */
export function rawHttp(
  baseUrl: string,
  options: {
    readonly method: string;
    readonly path: string;
    readonly headers?: Record<string, string>;
    readonly body?: string | Buffer;
    readonly localAddress?: string;
  },
): Promise<HttpAnswer> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: options.method,
        // An explicit length: Node's client frames no DELETE body on its own.
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
        localAddress: options.localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            retryAfter: res.headers['retry-after'],
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    // A server that refuses a body before reading it closes the connection under the writer.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNRESET' || e.code === 'EPIPE'
        ? resolve({ status: 0, contentType: '', retryAfter: undefined, body: e.code })
        : reject(e),
    );
    req.end(options.body);
  });
}

/** The typed code of a problem+json answer, or undefined. */
export function problemCode(answer: HttpAnswer): string | undefined {
  if (!answer.contentType.startsWith('application/problem+json')) return undefined;
  return (JSON.parse(answer.body) as { code?: string }).code;
}

export interface HostileSocket {
  readonly socket: Socket;
  /** Every `[event, payload]` the server sent, in order. */
  readonly received: [string, unknown][];
  /** Resolves with the payload of the next event of that name (or of one already received). */
  next(event: string, timeoutMs?: number): Promise<unknown>;
  /** Resolves once the server ended the connection. */
  readonly closed: Promise<string>;
  isClosed(): boolean;
}

/** A socket.io client on `namespace` (default path) or on `path`, from `localAddress`. */
export async function hostileSocket(
  url: string,
  options: { readonly localAddress: string; readonly path?: string },
): Promise<HostileSocket> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 5000,
    localAddress: options.localAddress,
    ...(options.path ? { path: options.path } : {}),
  } as Parameters<typeof io>[1]);
  const received: [string, unknown][] = [];
  let taken = 0;
  const waiters: (() => void)[] = [];
  socket.onAny((event: string, payload: unknown) => {
    received.push([event, payload]);
    for (const w of waiters.splice(0)) w();
  });
  let closedFlag = false;
  const closed = new Promise<string>((resolve) =>
    socket.on('disconnect', (reason) => {
      closedFlag = true;
      resolve(reason);
      for (const w of waiters.splice(0)) w();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
    // The server may end the engine connection before the namespace answers.
    socket.io.once('close', (reason) => reject(new Error(`closed before connecting: ${reason}`)));
  });
  const next = async (event: string, timeoutMs = 10_000): Promise<unknown> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = received.findIndex(([e], index) => index >= taken && e === event);
      if (i >= 0) {
        taken = i + 1;
        return received[i][1];
      }
      if (closedFlag) throw new Error(`closed before ${event}: ${JSON.stringify(received)}`);
      if (Date.now() > deadline) throw new Error(`no ${event}: ${JSON.stringify(received)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { socket, received, next, closed, isClosed: () => closedFlag };
}

/** The child process's loop: polls /health, answers `window`/`stop` on stdin with its maxima. */
const PROBE_SCRIPT = `
const [url, every] = [process.argv[1], Number(process.argv[2])];
let running = true, max = 0, windowMax = 0, samples = 0; const failures = [];
const report = () => { process.stdout.write(JSON.stringify({ max, windowMax, samples, failures }) + '\\n'); windowMax = 0; };
process.stdin.on('data', (d) => { if (String(d).includes('stop')) running = false; else report(); });
(async () => {
  while (running) {
    const t0 = performance.now();
    try {
      const res = await fetch(url + '/health');
      await res.text();
      if (res.status !== 200) failures.push('status ' + res.status);
    } catch (e) { failures.push(String(e)); }
    const ms = performance.now() - t0;
    max = Math.max(max, ms); windowMax = Math.max(windowMax, ms); samples++;
    await new Promise((r) => setTimeout(r, every));
  }
  report();
  process.exit(0);
})();
`;

export interface ProbeReading {
  /** The slowest answer since the probe started. */
  readonly max: number;
  /** The slowest answer since the previous reading. */
  readonly windowMax: number;
  readonly samples: number;
  readonly failures: string[];
}

/**
 * Polls GET /health every `everyMs` from a process of its own (so the test process's own work,
 * such as building a 32 MB frame, never delays it) until stopped.
 */
export function healthProbe(
  baseUrl: string,
  everyMs = 25,
): { read(): Promise<ProbeReading>; stop(): Promise<ProbeReading> } {
  const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, baseUrl, String(everyMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((r: ProbeReading) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as ProbeReading));
  const ask = (command: string): Promise<ProbeReading> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      child.stdin.write(`${command}\n`);
    });
  let final: Promise<ProbeReading> | undefined;
  return {
    read: () => ask('window'),
    stop: () => (final ??= ask('stop')),
  };
}

/** `[[[…]]]` nested `depth` times. */
export function nestedArrayText(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** An object nested `depth` levels ({"a":{"a":…}}). */
export function nestedObject(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** An object with `count` made-up keys. */
export function keyFlood(count: number): Record<string, number> {
  const o: Record<string, number> = {};
  for (let i = 0; i < count; i++) o[`k${i}`] = i;
  return o;
}
