import { Rational } from '#concord/dp';
import { ProtocolError } from './protocol-error.js';

/** The strict JSON checks protocol declarations are parsed with (each fails with the path). */

export const NAME = /^[a-z][a-z0-9_]{0,62}$/;
export const ID = /^[a-z][a-z0-9-]{0,62}$/;

export function fail(message: string): never {
  throw new ProtocolError('invalid-definition', message);
}

export function record(
  json: unknown,
  at: string,
  allowed: readonly string[],
): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail(`${at} must be an object`);
  for (const k of Object.keys(json))
    if (!allowed.includes(k)) fail(`${at} has unknown key "${k.slice(0, 40)}"`);
  return json as Record<string, unknown>;
}

export function list(json: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(json)) fail(`${at} must be an array`);
  if (json.length > max) fail(`${at} has more than ${max} items`);
  return json;
}

export function text(json: unknown, at: string, max: number): string {
  if (typeof json !== 'string' || json.trim().length === 0 || json.length > max) {
    fail(`${at} must be a non-empty string of at most ${max} characters`);
  }
  return json;
}

export function matching(json: unknown, pattern: RegExp, at: string): string {
  if (typeof json !== 'string' || !pattern.test(json)) fail(`${at} must match ${pattern}`);
  return json;
}

export function integer(json: unknown, at: string, min: number, max: number): number {
  if (!Number.isSafeInteger(json) || (json as number) < min || (json as number) > max) {
    fail(`${at} must be an integer in [${min}, ${max}]`);
  }
  return json as number;
}

export function rational(json: unknown, at: string): Rational {
  if (typeof json !== 'string' || json.length > 80) fail(`${at} must be a rational like "1/2"`);
  try {
    return Rational.parse(json);
  } catch {
    return fail(`${at} must be a rational like "1/2"`);
  }
}

export function unique(names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) fail(`${what} name "${n}" is used twice`);
    seen.add(n);
  }
}
