import { scryptSync } from 'node:crypto';
import {
  type KeyEncryptionKey,
  type RandomSource,
  randomBytes,
  systemRandom,
  wipe,
} from '#concord/crypto';
import { aesGcmKek, keyFingerprint } from './aes-gcm-kek.js';
import { AtRestError } from './at-rest-error.js';

/** scrypt's cost: N = 2^log2N, block size r, parallelism p. */
export interface ScryptCost {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/** 2^17 × 8 × 128 bytes = 128 MiB and a fraction of a second per derivation (RFC 7914 guidance). */
export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ log2N: 17, r: 8, p: 1 });
const SALT_BYTES = 16;
const MIN_PASSPHRASE_CHARS = 12;
const ID = /^scrypt:(\d{1,2}):(\d{1,2}):(\d{1,2}):([A-Za-z0-9_-]{22}):([0-9a-f]{16})$/;

/**
 * A KEK derived from a passphrase with scrypt. Its id carries everything but the passphrase:
 * `scrypt:<log2N>:<r>:<p>:<salt, base64url>:<fingerprint of the derived key>`, so a file names the
 * salt and cost to derive its KEK again, and a wrong passphrase is told apart from an altered file.
 */
export function newPassphraseKek(
  passphrase: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
  rng: RandomSource = systemRandom,
): KeyEncryptionKey {
  return derive(passphrase, randomBytes(rng, SALT_BYTES), cost, rng);
}

/**
 * The passphrase KEK named by `id` (a key slot's KEK id), or undefined when `id` is not a
 * passphrase KEK's or this passphrase does not derive it (another passphrase).
 */
export function passphraseKekForId(
  passphrase: string,
  id: string,
  rng: RandomSource = systemRandom,
): KeyEncryptionKey | undefined {
  const m = ID.exec(id);
  if (!m) return undefined;
  const cost = { log2N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // Bounds that keep an altered id from asking for absurd memory or time.
  if (cost.log2N < 10 || cost.log2N > 22 || cost.r < 1 || cost.r > 32 || cost.p < 1 || cost.p > 16)
    return undefined;
  const kek = derive(passphrase, new Uint8Array(Buffer.from(m[4], 'base64url')), cost, rng);
  return kek.id === id ? kek : undefined;
}

function derive(
  passphrase: string,
  salt: Uint8Array,
  cost: ScryptCost,
  rng: RandomSource,
): KeyEncryptionKey {
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS)
    throw new AtRestError(
      'at-rest-kek-unavailable',
      `an at-rest passphrase has at least ${MIN_PASSPHRASE_CHARS} characters`,
    );
  const N = 2 ** cost.log2N;
  const key = new Uint8Array(
    scryptSync(passphrase.normalize('NFC'), salt, 32, {
      N,
      r: cost.r,
      p: cost.p,
      maxmem: 256 * N * cost.r + 1024 * 1024,
    }),
  );
  try {
    const saltText = Buffer.from(salt).toString('base64url');
    return aesGcmKek(
      key,
      `scrypt:${cost.log2N}:${cost.r}:${cost.p}:${saltText}:${keyFingerprint(key)}`,
      rng,
    );
  } finally {
    wipe(key);
  }
}
