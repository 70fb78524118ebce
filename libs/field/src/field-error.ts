import { ConcordError } from '#concord/errors';

/** Why a field operation refused its input. */
export type FieldErrorCode =
  | 'value-out-of-range'
  | 'field-too-small'
  | 'not-exact-at-scale'
  | 'length-mismatch'
  | 'field-mismatch'
  | 'malformed-bytes';

export class FieldError extends ConcordError<FieldErrorCode> {
  readonly domain = 'field';
}
