import { ConcordError } from '#concord/errors';

/** Why the JIFF engine stopped a session. Messages never carry shares, keys or values. */
export type JiffEngineErrorCode =
  /** The JIFF endpoint refused this party (credential, computation, or an event). */
  | 'jiff-refused'
  /** The JIFF server distributed a key for a party other than the one that party signed. */
  | 'jiff-key-mismatch'
  /** A JIFF message from a peer failed to decrypt under the signed keys. */
  | 'jiff-message-rejected'
  /** A peer's noise shares differ from the commitment it published before any data. */
  | 'noise-commitment-mismatch'
  /** An opened output decodes outside the plan's field (the computation was corrupted). */
  | 'output-out-of-range'
  /** The stock client failed (an exception inside it, or its worker ended). */
  | 'jiff-client-failed'
  /** A native envelope arrived for a JIFF-mode session, which relays none. */
  | 'unexpected-envelope';

export class JiffEngineError extends ConcordError<JiffEngineErrorCode> {
  readonly domain = 'jiff-engine';
  constructor(
    code: JiffEngineErrorCode,
    message: string,
    readonly suspects: readonly number[] = [],
  ) {
    super(code, message);
  }
}

/** The server's error code from a JIFF `error` text (`"<code>: <message>"`), never the text. */
export function serverErrorCode(error: unknown): string {
  const match = typeof error === 'string' ? /^([a-z][a-z-]{0,40}):/.exec(error) : null;
  return match?.[1] ?? 'unknown';
}
