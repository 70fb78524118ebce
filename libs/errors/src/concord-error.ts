/**
 * The base of every error Concord throws on purpose. `code` is a member of the subclass's closed
 * union, so each transport maps codes once (HTTP problems, wire refusals, exit codes) and never
 * parses messages. Messages name parameters, fields and parties, never secrets (a share, a key,
 * a raw input or an unnoised value).
 *
 * Anything else that reaches a transport boundary is a bug and is reported as `internal-error`.
 */
export abstract class ConcordError<Code extends string = string> extends Error {
  /** The library or app that raised it (`crypto`, `wire`, `coordinator`, …). */
  abstract readonly domain: string;

  constructor(
    readonly code: Code,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True for any error raised on purpose by Concord code (as opposed to a bug or a library throw). */
export function isConcordError(error: unknown): error is ConcordError {
  return error instanceof ConcordError;
}

/** A one-line description of any thrown value, for logs (never includes a stack or a cause chain). */
export function describeError(error: unknown): string {
  if (error instanceof ConcordError) return `${error.domain}/${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
