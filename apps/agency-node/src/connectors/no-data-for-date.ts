import { ConcordError } from '#concord/errors';

/**
 * The agency's data has no rows for the service date a session asks for: the node declines with
 * `no-data-for-date` before it charges or sends anything (a report of pure noise would otherwise
 * be released as if it measured something).
 */
export class NoDataForDateError extends ConcordError<'no-data-for-date'> {
  readonly domain = 'connector';
  constructor(
    readonly connector: string,
    readonly serviceDate: string,
  ) {
    super(
      'no-data-for-date',
      `this agency's data for connector ${connector} has no rows for service date ${serviceDate}`,
    );
  }
}
