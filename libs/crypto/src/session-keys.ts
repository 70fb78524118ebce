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
 * The AEAD keys between this party and one peer in one session, one per direction (`send`: this
 * party to the peer, `receive`: the peer to this party): HKDF-SHA256 over their X25519 shared
 * secret (one agreement serves both), bound to the session id and to both public keys in
 * direction order. Each direction has its own key, so the two parties never encrypt under the
 * same key.
 */
export function deriveSessionKeys(params: {
  readonly sessionId: string;
  readonly mySecretKey: Uint8Array;
  readonly myIndex: number;
  readonly myPublicKey: Uint8Array;
  readonly peerIndex: number;
  readonly peerPublicKey: Uint8Array;
}): { readonly send: Uint8Array; readonly receive: Uint8Array } {
  const { sessionId, myIndex, myPublicKey, peerIndex, peerPublicKey } = params;
  const shared = sharedSecret(params.mySecretKey, peerPublicKey);
  try {
    return {
      send: directionalKey(shared, sessionId, myIndex, myPublicKey, peerIndex, peerPublicKey),
      receive: directionalKey(shared, sessionId, peerIndex, peerPublicKey, myIndex, myPublicKey),
    };
  } finally {
    shared.fill(0);
  }
}

function sharedSecret(mySecretKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(mySecretKey, peerPublicKey);
  } catch {
    throw new CryptoError('invalid-key', 'peer session key is not a valid X25519 point');
  }
  if (shared.every((b) => b === 0)) {
    throw new CryptoError('invalid-key', 'peer session key is a low-order point');
  }
  return shared;
}

function directionalKey(
  shared: Uint8Array,
  sessionId: string,
  senderIndex: number,
  senderPublicKey: Uint8Array,
  receiverIndex: number,
  receiverPublicKey: Uint8Array,
): Uint8Array {
  const info = concatBytes(
    utf8(`concord/aead/v1/${senderIndex}->${receiverIndex}`),
    senderPublicKey,
    receiverPublicKey,
  );
  return new Uint8Array(hkdfSync('sha256', shared, utf8(sessionId), info, 32));
}
