import { utf8 } from '#concord/crypto';
import { AtRestError } from './at-rest-error.js';

/**
 * What a sealed file is for: bound (as associated data) to both the wrapped data key and the
 * body, and never stored in the file. A file sealed as one agency's `node-ledger` does not open
 * as another agency's, nor as a file of another purpose, even under the same KEK.
 */
export interface SealContext {
  /** The kind of file, e.g. `node-ledger`. */
  readonly purpose: string;
  /** The agency whose node wrote it. */
  readonly agencyId: string;
}

// Both parts are restricted to characters that cannot contain the separator, so two different
// contexts never encode to the same bytes.
const NAME = /^[a-z][a-z0-9-]{1,62}$/;

/** `concord/at-rest/v1/<purpose>/<agencyId>` as UTF-8: the associated data of a file. */
export function contextBytes(context: SealContext): Uint8Array {
  for (const [field, value] of Object.entries(context))
    if (typeof value !== 'string' || !NAME.test(value))
      throw new AtRestError(
        'at-rest-invalid-context',
        `a sealed file's ${field} must be a lowercase name (letters, digits, dashes), not ${JSON.stringify(value)}`,
      );
  return utf8(`concord/at-rest/v1/${context.purpose}/${context.agencyId}`);
}

export function describeContext(context: SealContext): string {
  return `${context.purpose} of agency ${context.agencyId}`;
}
