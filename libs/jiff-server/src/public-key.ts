import { x25519 } from '@noble/curves/ed25519.js';
import { randomBytes, type RandomSource, wipe } from '#concord/crypto';

const KEY_BYTES = 32;
const KEY_FORMAT = /^\[(?:[0-9]{1,3},){31}[0-9]{1,3}\]$/;

/**
 * A client's X25519 public key as JIFF writes it (`"[b0,…,b31]"`, decimal bytes), re-serialised
 * canonically; undefined if it is not exactly 32 bytes in that form.
 */
export function parsePublicKey(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 4 * KEY_BYTES + 2 || !KEY_FORMAT.test(raw)) {
    return undefined;
  }
  const bytes = raw.slice(1, -1).split(',').map(Number);
  if (bytes.some((b) => b > 255)) return undefined;
  return serialiseKey(Uint8Array.from(bytes));
}

/**
 * The public key published for `s1`. Clients only become ready once they hold a key for `s1`, so
 * the server must publish a valid one although it never computes; the secret half is discarded
 * at once, so nothing encrypted to `s1` can be read by anyone.
 */
export function generateServerPublicKey(random: RandomSource): string {
  const secret = randomBytes(random, KEY_BYTES);
  const publicKey = x25519.getPublicKey(secret);
  wipe(secret);
  return serialiseKey(publicKey);
}

function serialiseKey(bytes: Uint8Array): string {
  return `[${Array.from(bytes).join(',')}]`;
}
