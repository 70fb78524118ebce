import { JiffServerError } from './jiff-error.js';
import type { JiffLimits } from './limits.js';

/** An op id or custom tag: a non-empty string within `maxIdLength`. */
export function requireId(value: unknown, field: string, limits: JiffLimits): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > limits.maxIdLength) {
    throw new JiffServerError(
      'invalid-payload',
      `${field} must be a non-empty string of at most ${limits.maxIdLength} characters`,
    );
  }
  return value;
}
