import { ConcordError } from '#concord/errors';

/** Why an export could not be audited at all. */
export type AuditErrorCode =
  /** The export is not the documented JSON shape; the message names the field or entry. */
  'malformed-export';

/** An export the verifier cannot read. Messages name fields and entries, never quote values. */
export class AuditError extends ConcordError<AuditErrorCode> {
  readonly domain = 'audit';
}
