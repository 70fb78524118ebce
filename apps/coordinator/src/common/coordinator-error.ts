import { ConcordError } from '#concord/errors';

/** Errors of the coordinator's own use cases, each mapped to one HTTP status by the filter. */
export type CoordinatorErrorCode =
  | 'not-found'
  | 'unknown-protocol'
  | 'agencies-not-registered'
  | 'budget-exhausted'
  | 'conflict'
  /** A request id (an analyst's idempotency key) repeated with another request, or refunded. */
  | 'idempotency-conflict'
  | 'invalid-request'
  /** A report with no sealed release to download yet (running, sealing) or ever (aborted). */
  | 'not-released'
  /** The coordinator cannot take the request now (shutting down, or its database is away). */
  | 'unavailable'
  /** The client's address failed to authenticate too often; it is refused for a while. */
  | 'rate-limited'
  /** An agency's node announced that its data holds no rows for the requested service date. */
  | 'no-data-for-date';

export class CoordinatorError extends ConcordError<CoordinatorErrorCode> {
  readonly domain = 'coordinator';
}

/** A refusal that says when to come back (`Retry-After`, in seconds). */
export class RateLimitedError extends CoordinatorError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate-limited', message);
  }
}
