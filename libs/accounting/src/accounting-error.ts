/** Why an accounting computation refused. Closed union: callers map each code once. */
export type AccountingErrorCode = 'invalid-parameter' | 'unsupported' | 'no-convergence';

/** The one error class of `#concord/accounting`. Messages carry public parameters only. */
export class AccountingError extends Error {
  constructor(
    readonly code: AccountingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AccountingError';
  }
}
