import { ConcordError } from '#concord/errors';

/** Why a DP operation refused. Closed union: callers map each code to their transport once. */
export type DpErrorCode =
  | 'invalid-parameter'
  | 'invalid-rational'
  | 'division-by-zero'
  | 'share-variance-too-small'
  | 'pool-exhausted';

/**
 * The one error class of `#concord/dp`. Messages name parameters (which are public: they are fixed
 * in the ledger before data flow) and never contain a sampled noise value (a secret).
 */
export class DpError extends ConcordError<DpErrorCode> {
  readonly domain = 'dp';
}
