import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CryptoError } from './crypto-error.js';
import { canonicalBytes } from './canonical-json.js';
import { updateInto } from './cipher-pieces.js';
import { randomBytes, type RandomSource } from './random.js';

/**
 * The clear header of an envelope: everything the relay needs to route it and the transcript
 * needs to record it. It is authenticated (AEAD associated data), so a relay that rewrites any
 * field makes the envelope fail to open.
 */
export interface EnvelopeHeader {
  readonly sessionId: string;
  readonly round: string;
  readonly from: number;
  readonly to: number;
  readonly chunk: number;
  readonly chunks: number;
}

export const ENVELOPE_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const MAX_HEADER_BYTES = 1024;

/**
 * Encrypts `plaintext` for one (session, round, sender, receiver, chunk) with AES-256-GCM under
 * the sender→receiver key. Layout: version (1) | header length (2, BE) | canonical header |
 * nonce (12) | ciphertext | tag (16). Nonces are random: the engine may resend an envelope
 * verbatim but never re-encrypts.
 */
export function sealEnvelope(
  key: Uint8Array,
  header: EnvelopeHeader,
  plaintext: Uint8Array | readonly Uint8Array[],
  rng: RandomSource,
): Uint8Array {
  // A plaintext given in pieces (a payload's sections, straight from the vectors' memory) is
  // encrypted as their concatenation without ever concatenating them.
  const pieces = plaintext instanceof Uint8Array ? [plaintext] : plaintext;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const headerBytes = canonicalBytes(header);
  if (headerBytes.length > MAX_HEADER_BYTES) {
    throw new CryptoError('envelope-malformed', 'envelope header too large');
  }
  const nonce = randomBytes(rng, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  // Written in place: header, nonce, then the ciphertext piece by piece and the tag, with no
  // concatenation (a copy of the whole vector) at the end.
  const aadEnd = 3 + headerBytes.length;
  const out = new Uint8Array(aadEnd + NONCE_BYTES + length + TAG_BYTES);
  const view = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  view.writeUInt8(ENVELOPE_VERSION, 0);
  view.writeUInt16BE(headerBytes.length, 1);
  out.set(headerBytes, 3);
  out.set(nonce, aadEnd);
  cipher.setAAD(view.subarray(0, aadEnd));
  let at = aadEnd + NONCE_BYTES;
  for (const piece of pieces) at = updateInto(cipher, piece, out, at);
  const tail = cipher.final();
  out.set(tail, at);
  at += tail.length;
  out.set(cipher.getAuthTag(), at);
  return out;
}

/** Reads the clear header without decrypting (what the relay does). */
export function readEnvelopeHeader(envelope: Uint8Array): {
  header: Record<string, unknown>;
  headerEnd: number;
} {
  if (envelope.length < 3 + NONCE_BYTES + TAG_BYTES) {
    throw new CryptoError('envelope-malformed', 'envelope too short');
  }
  const view = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  if (view.readUInt8(0) !== ENVELOPE_VERSION) {
    throw new CryptoError('envelope-malformed', 'unknown envelope version');
  }
  const headerLength = view.readUInt16BE(1);
  const headerEnd = 3 + headerLength;
  if (headerLength > MAX_HEADER_BYTES || headerEnd + NONCE_BYTES + TAG_BYTES > envelope.length) {
    throw new CryptoError('envelope-malformed', 'envelope header length out of range');
  }
  let header: unknown;
  try {
    header = JSON.parse(view.subarray(3, headerEnd).toString('utf8'));
  } catch {
    throw new CryptoError('envelope-malformed', 'envelope header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new CryptoError('envelope-malformed', 'envelope header is not an object');
  }
  return { header: header as Record<string, unknown>, headerEnd };
}

/**
 * Decrypts an envelope after checking that its header is exactly the one the receiver expects
 * (same session, round, sender, receiver and chunk). Any mismatch or forgery throws. With `into`
 * at least as long as the plaintext, the plaintext is written there and a view of it returned.
 */
export function openEnvelope(
  key: Uint8Array,
  envelope: Uint8Array,
  expected: EnvelopeHeader,
  into?: Uint8Array,
): Uint8Array {
  const { headerEnd } = readEnvelopeHeader(envelope);
  const view = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  const expectedHeader = Buffer.from(canonicalBytes(expected));
  if (!view.subarray(3, headerEnd).equals(expectedHeader)) {
    throw new CryptoError(
      'envelope-header-mismatch',
      `envelope header does not match round ${expected.round} from party ${expected.from}`,
    );
  }
  const nonce = view.subarray(headerEnd, headerEnd + NONCE_BYTES);
  const body = view.subarray(headerEnd + NONCE_BYTES, view.length - TAG_BYTES);
  const tag = view.subarray(view.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(view.subarray(0, headerEnd));
  decipher.setAuthTag(tag);
  try {
    // Piece by piece into the plaintext's own buffer (or the caller's, when it is large enough:
    // a receiver that copies each chunk out at once reuses one), released once the tag checks.
    const out =
      into && into.length >= body.length
        ? into.subarray(0, body.length)
        : new Uint8Array(body.length);
    const at = updateInto(decipher, body, out, 0);
    // GCM's final() only checks the tag and returns nothing.
    out.set(decipher.final(), at);
    return out;
  } catch {
    throw new CryptoError(
      'envelope-authentication-failed',
      `envelope for round ${expected.round} from party ${expected.from} failed authentication`,
    );
  }
}
