import canonicalize from 'canonicalize';
import { CryptoError } from './crypto-error.js';
import { utf8 } from './bytes.js';

/**
 * RFC 8785 (JSON Canonicalization Scheme) serialisation: what we hash and sign. Values must be
 * plain JSON (bigints are carried as decimal strings by the callers).
 */
export function canonicalJson(value: unknown): string {
  assertPlainJson(value, '$');
  const text = canonicalize(value);
  if (text === undefined) throw new CryptoError('not-canonical', 'value has no JSON form');
  return text;
}

export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalJson(value));
}

function assertPlainJson(value: unknown, path: string): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CryptoError('not-canonical', `${path} is not finite`);
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        value.forEach((v, i) => assertPlainJson(v, `${path}[${i}]`));
        return;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) {
        throw new CryptoError('not-canonical', `${path} is not a plain object`);
      }
      for (const [k, v] of Object.entries(value)) assertPlainJson(v, `${path}.${k}`);
      return;
    case 'bigint':
    case 'undefined':
    case 'function':
    case 'symbol':
      throw new CryptoError('not-canonical', `${path} has type ${typeof value}`);
  }
}
