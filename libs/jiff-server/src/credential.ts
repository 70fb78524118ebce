import { constantTimeEqual, taggedHash, utf8 } from '#concord/crypto';
import { JiffServerError } from './jiff-error.js';
import type { JiffLimits } from './limits.js';
import type { CredentialVerifier } from './state.js';

/** The credential a client put in `options.initialization.credential`, checked for shape only. */
export function readCredential(raw: unknown, limits: JiffLimits): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > limits.maxCredentialLength) {
    throw new JiffServerError(
      'invalid-credential',
      'initialization must carry a credential string (options.initialization.credential)',
    );
  }
  return raw;
}

/** Only a digest is kept, to recognise the same credential when a party re-initializes. */
export function credentialDigest(credential: string): Uint8Array {
  return taggedHash('concord/jiff/credential/v1', utf8(credential));
}

export function sameCredential(a: Uint8Array, b: Uint8Array): boolean {
  return constantTimeEqual(a, b);
}

/** The host's verifier; a verifier that throws refuses (its exception never escapes). */
export function verifies(verify: CredentialVerifier, partyId: number, credential: string): boolean {
  try {
    return verify(partyId, credential) === true;
  } catch {
    return false;
  }
}
