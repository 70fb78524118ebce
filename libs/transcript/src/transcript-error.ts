import { ConcordError } from '#concord/errors';

/** Why a transcript was refused before anything was checked against it. */
export type TranscriptErrorCode =
  /** The entries are not a list. */
  | 'malformed-transcript'
  /** One entry (its envelope or its kind's body) breaks its schema; the message names it. */
  | 'malformed-entry';

/**
 * A transcript that does not have the documented shape. The message names the entry (its index,
 * and its seq and kind when they are readable), the field and the rule it breaks; never a value
 * other than the entry's kind.
 */
export class TranscriptError extends ConcordError<TranscriptErrorCode> {
  readonly domain = 'transcript';
  constructor(
    code: TranscriptErrorCode,
    message: string,
    /** The position of the bad entry in the list, when one entry is to blame. */
    readonly index?: number,
  ) {
    super(code, message);
  }
}
