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
  /** The coordinator cannot take the request now (shutting down, or its database is away). */
  | 'unavailable';

export class CoordinatorError extends ConcordError<CoordinatorErrorCode> {
  readonly domain = 'coordinator';
}
