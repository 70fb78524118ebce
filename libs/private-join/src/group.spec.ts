import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { seededRandom, toHex } from '#concord/crypto';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  blind,
  decodeElement,
  expandToUniform64,
  hashToken,
  PRIVATE_JOIN_DST,
  randomExponent,
} from './group.js';

/**
 * The group operations run in libsodium; these check that they are RFC 9380/9496's, by
 * comparing with @noble/curves' independent implementation on seeded random tokens and
 * exponents: a different byte would break every join between nodes of different builds.
 */
describe('ristretto255 in libsodium against @noble/curves', () => {
  const rng = seededRandom('group-cross-check');
  const randomBytes = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    rng.fill(out);
    return out;
  };
  const tokens = Array.from({ length: 64 }, (_, i) => `card-${i}-${toHex(randomBytes(6))}`);

  it('hashes every token to the same element as hash_to_ristretto255', () => {
    for (const t of tokens) {
      const noble = ristretto255_hasher.hashToCurve(new TextEncoder().encode(t), {
        DST: PRIVATE_JOIN_DST,
      });
      expect(toHex(hashToken(t))).toBe(toHex(noble.toBytes()));
    }
  });

  it("expands every message as noble's expand_message_xmd does, whatever its length", () => {
    const dst = new TextEncoder().encode(PRIVATE_JOIN_DST);
    for (const n of [0, 1, 63, 64, 127, 128, 129, 300, 1000]) {
      const message = randomBytes(n);
      expect(toHex(expandToUniform64(message))).toBe(
        toHex(expand_message_xmd(message, dst, 64, sha512)),
      );
    }
  });

  it('blinds to the same element as the scalar multiplication, and blindings commute', () => {
    for (const t of tokens.slice(0, 16)) {
      const [a, b] = [randomExponent(rng), randomExponent(rng)];
      const h = hashToken(t);
      expect(toHex(blind(h, a))).toBe(toHex(ristretto255.Point.fromBytes(h).multiply(a).toBytes()));
      expect(toHex(blind(blind(h, a), b))).toBe(toHex(blind(blind(h, b), a)));
    }
  });

  it('decodes what noble encodes and refuses what noble refuses', () => {
    const valid = hashToken('x');
    expect(decodeElement(valid, 'e')).toEqual(valid);
    for (let i = 0; i < 64; i++) {
      const bytes = randomBytes(32);
      let nobleOk = true;
      try {
        ristretto255.Point.fromBytes(bytes);
      } catch {
        nobleOk = false;
      }
      const ours = (() => {
        try {
          decodeElement(bytes, 'e');
          return true;
        } catch {
          return false;
        }
      })();
      expect(ours).toBe(nobleOk && bytes.some((v) => v !== 0));
    }
  });
});
