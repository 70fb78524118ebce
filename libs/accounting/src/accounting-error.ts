import { ConcordError } from '#concord/errors';

/** Why an accounting computation refused. Closed union: callers map each code once. */
export type AccountingErrorCode = 'invalid-parameter' | 'unsupported' | 'no-convergence';

/** The one error class of `#concord/accounting`. Messages carry public parameters only. */
export class AccountingError extends ConcordError<AccountingErrorCode> {
  readonly domain = 'accounting';
}
