import { relayDigest, type RelayedEvent, relaySetDigest } from '#concord/jiff-server';
import type { SessionPlan } from '#concord/protocol';
import { JiffEngineError, serverErrorCode } from './jiff-engine-error.js';
import { runJiffProgram } from './jiff-program.js';
import {
  loadBignumberExtension,
  loadStockClient,
  type StockJiffClient,
  type StockMessage,
} from './stock-jiff.js';

const PARTIES = [1, 2, 3];

/** Everything the stock client needs for one session (structured-cloneable: it crosses to a worker). */
export interface JiffClientConfig {
  /** The coordinator's origin (JIFF connects to the default namespace of `socketPath`). */
  readonly url: string;
  /** PEM CA certificate(s) the coordinator's TLS certificate must chain to (default: public roots). */
  readonly ca?: string;
  readonly socketPath: string;
  /** The JIFF computation id: the session id. */
  readonly sessionId: string;
  readonly self: number;
  /** Decimal. */
  readonly prime: string;
  /** This party's identity-key signature over (session, party): JIFF's `initialization.credential`. */
  readonly credential: string;
  /** This party's JIFF key pair (X25519), the public half signed in its acceptance. */
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  /** Every party's JIFF public key as signed in its acceptance. */
  readonly jiffKeys: Readonly<Record<number, Uint8Array>>;
  readonly plan: SessionPlan;
  readonly inputs: ReadonlyMap<string, ArrayLike<number>>;
  readonly noise: readonly ArrayLike<number>[];
  readonly dealt: readonly (readonly (readonly bigint[])[])[];
  readonly peerCommitments: ReadonlyMap<number, string>;
  /** socket.io reconnection delay (JIFF's default is 25 s). */
  readonly reconnectionDelayMs?: number;
}

/** What one direction of this party's JIFF traffic amounted to (see `relaySetDigest`). */
export interface RelaySummary {
  readonly messages: number;
  readonly digest: string;
}

export interface JiffClientOutcome {
  /** The opened (noisy) outputs as signed integers, per output. */
  readonly outputs: bigint[][];
  /** `${from}>${to}` for the four directions this party sent or received. */
  readonly relay: [string, RelaySummary][];
}

export interface JiffClientRun {
  readonly outcome: JiffClientOutcome;
  /** `free`, then disconnect, as a finished JIFF party does. */
  finish(): Promise<void>;
}

/**
 * One party's JIFF session with the stock client: connects with its credential and its signed key,
 * holds every peer's key from the signed acceptances from the start (the client never replaces a
 * key it holds), and before sharing anything checks that the keys the server distributed are those
 * same keys. It records every message it sends and receives by relay digest, so the transcript's
 * relay records can be checked, and it turns decryption failures into a typed failure instead of
 * an exception inside the client.
 */
export async function runJiffClientSession(config: JiffClientConfig): Promise<JiffClientRun> {
  let failure: JiffEngineError | undefined;
  let rejectFailed: (e: JiffEngineError) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
  failed.catch(() => undefined);
  const fail = (e: JiffEngineError): void => {
    if (failure) return;
    failure = e;
    rejectFailed(e);
  };

  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  let keysChecked: () => void = () => undefined;
  const keysVerified = new Promise<void>((resolve) => (keysChecked = resolve));

  const JIFFClient = loadStockClient();
  const client: StockJiffClient = new JIFFClient(config.url, config.sessionId, {
    party_id: config.self,
    party_count: PARTIES.length,
    crypto_provider: true,
    autoConnect: false,
    public_key: config.publicKey,
    secret_key: config.secretKey,
    public_keys: { ...config.jiffKeys },
    initialization: { credential: config.credential },
    socketOptions: {
      path: config.socketPath,
      // Straight to WebSocket: no long-polling handshake (the endpoint accepts both).
      transports: ['websocket'],
      ...(config.ca === undefined ? {} : { ca: config.ca }),
      reconnectionDelay: config.reconnectionDelayMs ?? 1000,
      reconnectionDelayMax: 2 * (config.reconnectionDelayMs ?? 1000),
      randomizationFactor: 0.1,
    },
    // Never retry a refused initialization. JIFF reads `maxInitializationRetries || 2` (0 would
    // mean 2) and retries with `setTimeout(client.connect)`, detached from its client: a TypeError
    // in a promise that a node treats as fatal. −1 is truthy and below any retry count.
    maxInitializationRetries: -1,
    onConnect: () => connected(),
    onError: (label, error) => {
      // Server errors carry a code; the client's own errors may quote key material: never kept.
      const known = [
        'initialization',
        'share',
        'open',
        'custom',
        'crypto_provider',
        'free',
        'computation',
      ];
      const code = known.includes(label) ? serverErrorCode(error) : 'client-error';
      fail(new JiffEngineError('jiff-refused', `the JIFF session failed at ${label} (${code})`));
    },
  });
  client.apply_extension(loadBignumberExtension(), { Zp: config.prime, safemod: false });

  const expected = new Map(PARTIES.map((p) => [p, jiffKeyText(config.jiffKeys[p])]));
  const distributed = new Set<number>();
  const checkKeys = (keys: unknown): void => {
    if (typeof keys !== 'object' || keys === null) return;
    for (const p of PARTIES) {
      const key = (keys as Record<string, unknown>)[String(p)];
      if (key === undefined) continue;
      if (key !== expected.get(p)) {
        fail(
          new JiffEngineError(
            'jiff-key-mismatch',
            `the JIFF server distributed a key for party ${p} other than the one party ${p} signed`,
            [p],
          ),
        );
        return;
      }
      distributed.add(p);
    }
    if (PARTIES.every((p) => distributed.has(p))) keysChecked();
  };

  const relay = recordRelay(client, config.self, fail);
  client.hooks.afterOperation.push((_c, label, msg) => {
    try {
      if (label === 'initialization' || label === 'public_keys') checkKeys(msg.public_keys);
      else relay.received(label, msg);
    } catch {
      fail(new JiffEngineError('jiff-client-failed', `a ${label} message could not be checked`));
    }
    return msg;
  });

  client.connect();
  let outputs: bigint[][];
  try {
    await Promise.race([Promise.all([ready, keysVerified]), failed]);
    outputs = await Promise.race([
      runJiffProgram(client, {
        plan: config.plan,
        self: config.self,
        prime: BigInt(config.prime),
        inputs: config.inputs,
        noise: config.noise,
        dealt: config.dealt,
        peerCommitments: config.peerCommitments,
      }),
      failed,
    ]);
    if (failure) throw failure;
  } catch (e) {
    // A failed party leaves at once (no `free`: the session is over for everyone).
    try {
      client.disconnect(false, false);
    } catch {
      // The socket may not exist yet.
    }
    throw e instanceof JiffEngineError
      ? e
      : new JiffEngineError('jiff-client-failed', 'the JIFF computation failed');
  }
  return {
    outcome: { outputs, relay: relay.summary() },
    finish: () => new Promise<void>((resolve) => client.disconnect(true, true, resolve)),
  };
}

/** A key as JIFF and the Concord endpoint write it: `"[b0,…,b31]"`. */
export function jiffKeyText(key: Uint8Array | undefined): string | undefined {
  return key === undefined ? undefined : `[${Array.from(key).join(',')}]`;
}

/**
 * Records the digest of every message this party sends (`beforeOperation` names it, the next
 * `encryptSign` produces its box) and receives (`decryptSign` sees the box, the next
 * `afterOperation` names it), per peer, exactly as the JIFF endpoint digests what it relays.
 */
function recordRelay(
  client: StockJiffClient,
  self: number,
  fail: (e: JiffEngineError) => void,
): {
  received(label: string, msg: StockMessage): void;
  summary(): [string, RelaySummary][];
} {
  const sent = new Map(PARTIES.filter((p) => p !== self).map((p) => [p, new Set<string>()]));
  const received = new Map(PARTIES.filter((p) => p !== self).map((p) => [p, new Set<string>()]));
  let outgoing: { event: RelayedEvent; id: string; to: number } | undefined;
  let incoming: unknown;

  const idOf = (event: RelayedEvent, msg: StockMessage): string =>
    String(event === 'custom' ? msg.tag : msg.op_id);
  const isRelayed = (label: string): label is RelayedEvent =>
    label === 'share' || label === 'open' || label === 'custom';

  client.hooks.beforeOperation.push((_c, label, msg) => {
    if (!isRelayed(label)) return msg;
    const to = Number(msg.party_id);
    if (label === 'custom' && msg.encrypted === false) {
      sent.get(to)?.add(relayDigest(label, idOf(label, msg), msg.message));
    } else {
      outgoing = { event: label, id: idOf(label, msg), to };
    }
    return msg;
  });
  const encrypt = client.hooks.encryptSign.bind(client.hooks);
  client.hooks.encryptSign = (c, message, publicKey, secretKey) => {
    const box = encrypt(c, message, publicKey, secretKey);
    if (outgoing !== undefined) {
      sent.get(outgoing.to)?.add(relayDigest(outgoing.event, outgoing.id, box));
      outgoing = undefined;
    }
    return box;
  };
  const decrypt = client.hooks.decryptSign.bind(client.hooks);
  client.hooks.decryptSign = (c, cipher, secretKey, publicKey) => {
    incoming = cipher;
    try {
      return decrypt(c, cipher, secretKey, publicKey);
    } catch {
      // The stock error text quotes key material; only the fact is kept.
      fail(
        new JiffEngineError(
          'jiff-message-rejected',
          'a JIFF message failed to decrypt under the signed keys (its sender or the relay altered it)',
        ),
      );
      return '0';
    }
  };

  return {
    received(label, msg) {
      if (!isRelayed(label)) return;
      const content = label === 'custom' && msg.encrypted !== true ? msg.message : incoming;
      incoming = undefined;
      received.get(Number(msg.party_id))?.add(relayDigest(label, idOf(label, msg), content));
    },
    summary() {
      const out: [string, RelaySummary][] = [];
      for (const [peer, digests] of sent) out.push([`${self}>${peer}`, relaySetDigest(digests)]);
      for (const [peer, digests] of received)
        out.push([`${peer}>${self}`, relaySetDigest(digests)]);
      return out;
    },
  };
}
