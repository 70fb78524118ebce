import {
  generateIdentityKeyPair,
  type IdentityKeyPair,
  type IdentitySigner,
  type RandomSource,
  wipe,
} from '#concord/crypto';
import { readPlainKeyFile, writePlainKeyFile } from '#concord/keystore';

/**
 * The DEMO-ONLY plaintext identity key file (`concord-identity/1`, mode 0600), as the demo, the
 * hostile suite and `consortium init` use it. The format lives in `#concord/keystore` with the
 * other stores; an agency outside the demo uses an encrypted file or an HSM.
 */
export function writeIdentityFile(
  path: string,
  agencyId: string,
  rng: RandomSource,
): Pick<IdentityKeyPair, 'publicKey'> {
  const pair = generateIdentityKeyPair(rng);
  try {
    writePlainKeyFile(path, agencyId, pair.secretKey);
  } finally {
    wipe(pair.secretKey);
  }
  return { publicKey: pair.publicKey };
}

/**
 * Reads a DEMO-ONLY plaintext key file. `secretKey` is returned for migration into a key store
 * (`concord keys import`) and for tests that look for it in traffic; everything else signs
 * through `identity`.
 */
export function readIdentityFile(path: string): {
  agencyId: string;
  identity: IdentitySigner;
  secretKey: Uint8Array;
} {
  const { agencyId, signer, seed } = readPlainKeyFile(path);
  return { agencyId, identity: signer, secretKey: seed };
}
