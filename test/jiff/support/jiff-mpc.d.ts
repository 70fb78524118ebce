// jiff-mpc 1.0.0 ships no types: the part of its client API the interoperability tests use.
declare module 'jiff-mpc' {
  /** A number, or a bignumber.js value for clients with the bignumber extension. */
  export type JiffValue = number | { toString(): string };

  export interface SecretShare {
    sadd(other: SecretShare): SecretShare;
    ssub(other: SecretShare): SecretShare;
    smult(other: SecretShare, opId?: string): SecretShare;
    slt(other: SecretShare): SecretShare;
    sgt(other: SecretShare): SecretShare;
    sgteq(other: SecretShare): SecretShare;
    seq(other: SecretShare): SecretShare;
    cadd(constant: JiffValue): SecretShare;
    cmult(constant: JiffValue): SecretShare;
    cdiv(constant: JiffValue): SecretShare;
  }

  export interface GuardedSocket {
    readonly id: string;
    readonly connected: boolean;
    connect(): void;
    io: { reconnection(enabled: boolean): unknown; engine: { close(): void } };
  }

  export interface JiffExtension {
    readonly name: string;
  }

  export interface JIFFClientOptions {
    party_id?: number;
    party_count?: number;
    crypto_provider?: boolean;
    autoConnect?: boolean;
    Zp?: number;
    initialization?: Record<string, unknown>;
    socketOptions?: Record<string, unknown>;
    maxInitializationRetries?: number;
    onConnect?: (client: JIFFClient) => void;
    onError?: (label: string, error: unknown) => void;
  }

  export interface JIFFClient {
    readonly id: number;
    readonly party_count: number;
    readonly socket: GuardedSocket;
    /** Zp of the instance (a number for base clients). */
    readonly Zp: JiffValue;
    readonly protocols: {
      readonly bits: {
        /** Bits (least significant first) of a uniform value in [lower, upper). */
        rejection_sampling(lower: JiffValue, upper: JiffValue): SecretShare[];
      };
    };
    share(secret: JiffValue): Record<number, SecretShare>;
    open(share: SecretShare): Promise<JiffValue>;
    emit(tag: string, receivers: number[] | null, message: string, encrypt?: boolean): void;
    listen(tag: string, handler: (sender: number, message: string) => void): void;
    disconnect(safe: boolean, free: boolean, callback?: () => void): void;
    apply_extension(extension: JiffExtension, options?: Record<string, unknown>): void;
    connect(): void;
    isReady(): boolean;
  }

  const jiff: {
    JIFFClient: new (
      hostname: string,
      computationId: string,
      options?: JIFFClientOptions,
    ) => JIFFClient;
  };
  export default jiff;
}

declare module 'jiff-mpc/lib/ext/jiff-client-bignumber.js' {
  import type { JiffExtension } from 'jiff-mpc';
  const extension: JiffExtension;
  export default extension;
}
