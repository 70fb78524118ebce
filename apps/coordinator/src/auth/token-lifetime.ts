import { CoordinatorError } from '../common/coordinator-error.js';

/** A token's lifetime as an admin writes it: a whole number and a unit, e.g. `90d`, `12h`. */
export const TOKEN_LIFETIME_PATTERN = /^([1-9][0-9]{0,6})(s|m|h|d)$/;

/** Tokens issued without `expiresIn` live this long: no credential is valid for ever. */
export const DEFAULT_TOKEN_LIFETIME = '90d';

/** A year and a month: longer-lived credentials are a finding in any security review. */
const MAX_LIFETIME_MS = 400 * 86_400_000;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a lifetime such as `30d`; a typed 400 for anything else or over 400 days. */
export function tokenLifetimeMs(text: string): number {
  const match = TOKEN_LIFETIME_PATTERN.exec(text);
  if (!match) {
    throw new CoordinatorError(
      'invalid-request',
      'expiresIn must be a whole number and a unit s, m, h or d (e.g. 90d)',
    );
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms > MAX_LIFETIME_MS)
    throw new CoordinatorError('invalid-request', 'expiresIn must be at most 400d');
  return ms;
}
