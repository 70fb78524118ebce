export { concatBytes, fromHex, toHex, utf8, wipe } from './bytes.js';
export { canonicalBytes, canonicalJson } from './canonical-json.js';
export { constantTimeEqual } from './constant-time.js';
export { CryptoError, type CryptoErrorCode } from './crypto-error.js';
export {
  ENVELOPE_VERSION,
  type EnvelopeHeader,
  MAX_HEADER_BYTES,
  openEnvelope,
  readEnvelopeHeader,
  sealEnvelope,
} from './envelope.js';
export { sha256, taggedHash } from './hash.js';
export { generateIdentitySigner } from './generate-signer.js';
export { type IdentitySigner, inMemorySigner, type KeyCustody } from './identity-signer.js';
export type { KeyEncryptionKey } from './key-encryption-key.js';
export {
  generateIdentityKeyPair,
  type IdentityKeyPair,
  identityFromSecret,
  signTagged,
  verifyTagged,
} from './identity.js';
export {
  bufferedRandom,
  randomBelow,
  randomBit,
  randomBytes,
  type RandomSource,
  seededRandom,
  systemRandom,
} from './random.js';
export { deriveSessionKeys, generateSessionKeyPair, type SessionKeyPair } from './session-keys.js';
