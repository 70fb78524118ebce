// The stock jiff-mpc@1.0.0 client, loaded through Node's CommonJS loader (deep path: a node never
// loads JIFF's server), and typed with the part of its API the JIFF engine uses (the package ships
// no types). Loaded lazily: a node on the native engine never loads it. Nothing of jiff-mpc is
// patched; the engine uses its documented options, hooks and extension API only.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A bignumber.js (v5, jiff-mpc's own copy) value as the bignumber extension hands them out. */
export interface StockBigNumber {
  readonly isBigNumber: true;
  /** Plain (never exponential) decimal notation. */
  toFixed(): string;
}

export interface StockSecretShare {
  readonly ready: boolean;
  /** The share's value once `ready`, else a promise of it. */
  readonly value: StockBigNumber | Promise<StockBigNumber>;
  sadd(other: StockSecretShare): StockSecretShare;
  ssub(other: StockSecretShare): StockSecretShare;
  smult(other: StockSecretShare): StockSecretShare;
  cmult(constant: StockBigNumber): StockSecretShare;
}

/** A JIFF message object as hooks see it (the fields depend on the label). */
export type StockMessage = Record<string, unknown>;

export interface StockHooks {
  encryptSign(client: unknown, message: string, publicKey: unknown, secretKey: unknown): unknown;
  decryptSign(client: unknown, cipher: unknown, secretKey: unknown, publicKey: unknown): string;
  readonly beforeOperation: ((client: unknown, label: string, msg: StockMessage) => StockMessage)[];
  readonly afterOperation: ((client: unknown, label: string, msg: StockMessage) => StockMessage)[];
  readonly afterComputeShare: ((
    client: unknown,
    shares: Record<number, StockBigNumber>,
    threshold: number,
    receivers: number[],
    senders: number[],
    zp: unknown,
  ) => Record<number, StockBigNumber>)[];
}

export interface StockJiffClientOptions {
  party_id: number;
  party_count: number;
  crypto_provider: boolean;
  autoConnect: boolean;
  /** Libsodium key pair of this client (X25519, as `crypto_box` uses it); generated if absent. */
  public_key?: Uint8Array;
  secret_key?: Uint8Array;
  /** Keys known before connecting; the client never replaces a key it already holds. */
  public_keys?: Record<number, Uint8Array>;
  initialization: Record<string, unknown>;
  socketOptions: Record<string, unknown>;
  maxInitializationRetries: number;
  onConnect: () => void;
  onError: (label: string, error: unknown) => void;
}

export interface StockJiffClient {
  readonly id: number;
  readonly hooks: StockHooks;
  readonly helpers: { BigNumber(value: string): StockBigNumber };
  /** JIFF's GuardedSocket: `is_empty` = every outgoing message acknowledged, no open pending. */
  readonly socket: { is_empty(): boolean } | undefined;
  share(
    secret: StockBigNumber | null,
    threshold?: number,
    receivers?: number[],
    senders?: number[],
  ): Record<number, StockSecretShare>;
  open(share: StockSecretShare): Promise<StockBigNumber>;
  apply_extension(extension: unknown, options: Record<string, unknown>): void;
  connect(): void;
  disconnect(safe: boolean, free: boolean, callback?: () => void): void;
}

export type StockJiffClientConstructor = new (
  hostname: string,
  computationId: string,
  options: StockJiffClientOptions,
) => StockJiffClient;

/**
 * Fails early (at node start) when jiff-mpc is not installed, rather than in the first session.
 * Returns the error message, or undefined when the client can be loaded.
 */
export function stockClientMissing(): string | undefined {
  try {
    require.resolve('jiff-mpc/lib/jiff-client.js');
    require.resolve('jiff-mpc/lib/ext/jiff-client-bignumber.js');
    return undefined;
  } catch {
    return 'the JIFF engine needs the jiff-mpc package (npm jiff-mpc@1.0.0) installed next to Concord';
  }
}

export function loadStockClient(): StockJiffClientConstructor {
  return require('jiff-mpc/lib/jiff-client.js') as StockJiffClientConstructor;
}

export function loadBignumberExtension(): unknown {
  return require('jiff-mpc/lib/ext/jiff-client-bignumber.js');
}
