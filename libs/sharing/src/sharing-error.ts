import { ConcordError } from '#concord/errors';
import type { PartyIndex } from './parties.js';

export type SharingErrorCode = 'inconsistent-opening' | 'missing-share' | 'shape-mismatch';

/**
 * A sharing-level failure. For an inconsistent opening, `suspects` lists the parties that the
 * detecting party cannot exclude: with three degree-1 points a single wrong share is detected but
 * cannot be attributed from the values alone, so an honest detector names both other parties.
 */
export class SharingError extends ConcordError<SharingErrorCode> {
  readonly domain = 'sharing';
  constructor(
    code: SharingErrorCode,
    message: string,
    readonly suspects: readonly PartyIndex[] = [],
  ) {
    super(code, message);
  }
}
