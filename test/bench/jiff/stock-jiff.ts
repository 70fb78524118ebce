// The stock jiff-mpc@1.0.0 client and server, loaded through Node's CommonJS loader and typed with
// the small part of their API the baseline uses (the package ships no types). Deep paths keep a
// client process from loading the server (and its bignumber extension) and vice versa. The
// interfaces live here rather than in a `declare module 'jiff-mpc'`, which would clash with the
// interoperability suite's declaration (test/jiff/support/jiff-mpc.d.ts) in the typecheck program.
import { type Server } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** 2^61 − 1 (a Mersenne prime), the modulus of the bignumber variant. */
export const P61 = '2305843009213693951';

/** JIFF's default modulus (lib/client/util/constants.js `gZp`). */
export const DEFAULT_ZP = 16_777_729;

/** A number, or a bignumber.js value for clients with the bignumber extension. */
export type JiffValue = number | { toString(): string };

export interface StockSecretShare {
  sadd(other: StockSecretShare): StockSecretShare;
  smult(other: StockSecretShare): StockSecretShare;
}

export interface StockJiffExtension {
  readonly name: string;
}

export interface StockJiffClientOptions {
  party_id: number;
  party_count: number;
  crypto_provider: boolean;
  autoConnect: boolean;
  onConnect: () => void;
  onError: (label: string, error: unknown) => void;
}

export interface StockJiffClient {
  /** JIFF's GuardedSocket: `is_empty` = every outgoing message acknowledged, no open pending. */
  readonly socket: { is_empty(): boolean };
  /** `lengths` as a number (every sender) or per sender; returns { sender: shares[] }. */
  share_array(
    array: readonly number[],
    lengths: number | Record<number, number>,
    threshold?: number,
    receivers?: number[],
    senders?: number[],
  ): Record<number, StockSecretShare[]>;
  open(share: StockSecretShare): Promise<JiffValue>;
  apply_extension(extension: StockJiffExtension, options?: Record<string, unknown>): void;
  connect(): void;
  disconnect(safe: boolean, free: boolean, callback?: () => void): void;
}

export type StockJiffClientConstructor = new (
  hostname: string,
  computationId: string,
  options: StockJiffClientOptions,
) => StockJiffClient;

export interface StockJiffServer {
  apply_extension(extension: StockJiffExtension, options?: Record<string, unknown>): void;
}

export type StockJiffServerConstructor = new (
  http: Server,
  options: { logs: boolean },
) => StockJiffServer;

export function loadStockClient(): StockJiffClientConstructor {
  return require('jiff-mpc/lib/jiff-client.js') as StockJiffClientConstructor;
}

export function loadClientBignumber(): StockJiffExtension {
  return require('jiff-mpc/lib/ext/jiff-client-bignumber.js') as StockJiffExtension;
}

export function loadStockServer(): StockJiffServerConstructor {
  return require('jiff-mpc/lib/jiff-server.js') as StockJiffServerConstructor;
}

export function loadServerBignumber(): StockJiffExtension {
  return require('jiff-mpc/lib/ext/jiff-server-bignumber.js') as StockJiffExtension;
}
