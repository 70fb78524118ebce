import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type jiffModule from 'jiff-mpc';
import type { JIFFClient, JIFFClientOptions } from 'jiff-mpc';
import type bignumberModule from 'jiff-mpc/lib/ext/jiff-client-bignumber.js';
import { systemRandom } from '#concord/crypto';
import { type JiffLimits, JiffServerCore } from '#concord/jiff-server';
import {
  attachJiffServer,
  type JiffSocketAdapterOptions,
  type JiffSocketBinding,
} from '../../../apps/coordinator/src/jiff/jiff-socket.adapter.js';

// The stock package, loaded through Node's own CommonJS loader. `import jiff from 'jiff-mpc'`
// works under plain Node, but under Vitest's module runner jiff-mpc's `require('libsodium-wrappers')`
// resolves to that package's ESM build, which 0.7.16 ships broken (it imports a libsodium.mjs it
// does not contain; jedisct1/libsodium.js#357). Nothing of jiff-mpc is patched or wrapped.
const require = createRequire(import.meta.url);
const jiff = require('jiff-mpc') as typeof jiffModule;
const bignumber = require('jiff-mpc/lib/ext/jiff-client-bignumber.js') as typeof bignumberModule;

/** 2^61 − 1, a Mersenne prime: far beyond what base JIFF (doubles) can handle. */
export const P61 = '2305843009213693951';

export interface TestServer {
  readonly url: string;
  /** socket.io path clients must pass as `socketOptions.path`. */
  readonly path: string;
  readonly core: JiffServerCore;
  readonly io: Server;
  readonly binding: JiffSocketBinding;
  /** Registers a computation; party k's credential is `credentials[k - 1]`. */
  register(computationId: string, partyCount: number): string[];
  close(): Promise<void>;
}

/** A plain http server + socket.io 4 with `allowEIO3` (jiff-mpc 1.0.0 speaks EIO3), on port 0. */
export async function startServer(
  limits?: Partial<JiffLimits>,
  path = '/socket.io',
  onEvent?: JiffSocketAdapterOptions['onEvent'],
): Promise<TestServer> {
  const http = createServer();
  const io = new Server(http, { path, allowEIO3: true, maxHttpBufferSize: 1024 * 1024 });
  const core = new JiffServerCore({ random: systemRandom, now: Date.now, limits });
  const binding = attachJiffServer(io, core, { sweepIntervalMs: 0, onEvent });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    path,
    core,
    io,
    binding,
    register(computationId, partyCount) {
      const credentials = Array.from(
        { length: partyCount },
        (_, i) => `${computationId}/${i + 1}/s3cret`,
      );
      core.registerComputation({
        computationId,
        partyCount,
        expiresAt: Date.now() + 10 * 60_000,
        verifyCredential: (partyId, credential) => credentials[partyId - 1] === credential,
      });
      return credentials;
    },
    async close() {
      binding.detach();
      await io.close();
    },
  };
}

export interface PartyOptions {
  readonly partyCount: number;
  readonly partyId?: number;
  readonly credential: string;
  /** Apply the bignumber extension with this prime (decimal string). */
  readonly bignumberZp?: string;
  readonly jiff?: JIFFClientOptions;
}

/** A stock jiff-mpc client, resolved once it is ready (holds every party's and s1's key). */
export function connectParty(
  server: TestServer,
  computationId: string,
  options: PartyOptions,
): Promise<JIFFClient> {
  return new Promise((resolve, reject) => {
    const client = new jiff.JIFFClient(server.url, computationId, {
      party_id: options.partyId,
      party_count: options.partyCount,
      crypto_provider: true,
      autoConnect: false,
      initialization: { credential: options.credential },
      socketOptions: {
        path: server.path,
        reconnectionDelay: 50,
        reconnectionDelayMax: 100,
        randomizationFactor: 0,
      },
      // A refusal rejects; JIFF's own retry (`|| 2` makes 0 mean 2) would call `connect`
      // detached from the client, an unhandled TypeError after the test has moved on.
      maxInitializationRetries: -1,
      onConnect: () => resolve(client),
      onError: (label, error) => {
        if (label === 'initialization')
          reject(new Error(`initialization refused: ${String(error)}`));
      },
      ...options.jiff,
    });
    if (options.bignumberZp !== undefined) {
      client.apply_extension(bignumber, { Zp: options.bignumberZp, safemod: false });
    }
    client.connect();
  });
}

/** Connects parties 1..n of a registered computation. */
export function connectAll(
  server: TestServer,
  computationId: string,
  credentials: readonly string[],
  extra: Omit<PartyOptions, 'partyCount' | 'credential' | 'partyId'> = {},
): Promise<JIFFClient[]> {
  return Promise.all(
    credentials.map((credential, i) =>
      connectParty(server, computationId, {
        ...extra,
        partyCount: credentials.length,
        partyId: i + 1,
        credential,
      }),
    ),
  );
}

/** `free` then disconnect, as a finished JIFF party does. */
export function freeAll(clients: readonly JIFFClient[]): Promise<void[]> {
  return Promise.all(
    clients.map((c) => new Promise<void>((resolve) => c.disconnect(true, true, resolve))),
  );
}

/** Opens a share and returns its value as a decimal string (numbers and bignumbers alike). */
export async function openText(
  client: JIFFClient,
  share: Parameters<JIFFClient['open']>[0],
): Promise<string> {
  return (await client.open(share)).toString();
}

/** Polls `condition` (state observed through the core, never timing) until true. */
export async function until(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
