import { createHash } from 'node:crypto';
import { utf8 } from './bytes.js';

/** SHA-256 of the concatenation of the parts. */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/**
 * Domain-separated SHA-256: the tag and each part are length-prefixed so that no two different
 * (tag, parts) lists hash the same bytes. A part given as a list of pieces hashes exactly as their
 * concatenation would (a payload's sections, without copying them into one buffer).
 */
export function taggedHash(
  tag: string,
  ...parts: readonly (Uint8Array | readonly Uint8Array[])[]
): Uint8Array {
  const h = createHash('sha256');
  const prefix = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const tagBytes = utf8(tag);
  h.update(prefix(tagBytes.length)).update(tagBytes);
  for (const part of parts) {
    const pieces = part instanceof Uint8Array ? [part] : part;
    h.update(prefix(pieces.reduce((n, piece) => n + piece.length, 0)));
    for (const piece of pieces) h.update(piece);
  }
  return new Uint8Array(h.digest());
}
