import { x25519 } from '@noble/curves/ed25519.js';
import { hkdfSync } from 'node:crypto';
import { concatBytes, utf8 } from './bytes.js';
import { CryptoError } from './crypto-error.js';
import { randomBytes, type RandomSource } from './random.js';

/** A fresh X25519 key pair for one session; its public half is signed by the identity key. */
export interface SessionKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export function generateSessionKeyPair(rng: RandomSource): SessionKeyPair {
  const secretKey = randomBytes(rng, 32);
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

/**
 * The AEAD key for messages from `sender` to `receiver` in one session: HKDF-SHA256 over the
 * X25519 shared secret, bound to the session id and to both parties' public keys in direction
 * order. Each direction has its own key, so the two parties never encrypt under the same key.
 */
export function deriveDirectionalKey(params: {
  readonly sessionId: string;
  readonly mySecretKey: Uint8Array;
  readonly senderIndex: number;
  readonly senderPublicKey: Uint8Array;
  readonly receiverIndex: number;
  readonly receiverPublicKey: Uint8Array;
  readonly iAmSender: boolean;
}): Uint8Array {
  const peer = params.iAmSender ? params.receiverPublicKey : params.senderPublicKey;
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(params.mySecretKey, peer);
  } catch {
    throw new CryptoError('invalid-key', 'peer session key is not a valid X25519 point');
  }
  if (shared.every((b) => b === 0)) {
    throw new CryptoError('invalid-key', 'peer session key is a low-order point');
  }
  const info = concatBytes(
    utf8(`concord/aead/v1/${params.senderIndex}->${params.receiverIndex}`),
    params.senderPublicKey,
    params.receiverPublicKey,
  );
  const key = hkdfSync('sha256', shared, utf8(params.sessionId), info, 32);
  shared.fill(0);
  return new Uint8Array(key);
}
