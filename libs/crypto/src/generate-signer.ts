import { generateIdentityKeyPair } from './identity.js';
import { type IdentitySigner, inMemorySigner, type KeyCustody } from './identity-signer.js';
import type { RandomSource } from './random.js';

/**
 * A fresh identity held in this process's memory only: for tests and in-process runs. A key that
 * must outlive the process is made through a key store instead (`#concord/keystore`).
 */
export function generateIdentitySigner(
  rng: RandomSource,
  custody: KeyCustody = 'plain-file',
): IdentitySigner {
  const pair = generateIdentityKeyPair(rng);
  const signer = inMemorySigner(pair.secretKey, custody);
  pair.secretKey.fill(0);
  return signer;
}
