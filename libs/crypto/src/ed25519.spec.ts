import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { ed25519PrivateKey, ed25519PublicKeyOf, ed25519Sign, ed25519Verify } from './ed25519.js';
import { taggedHash } from './hash.js';
import { inMemorySigner } from './identity-signer.js';
import { randomBytes, seededRandom } from './random.js';

const rng = seededRandom('ed25519-openssl');

// The group order L (RFC 8032); S must be below it.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function littleEndian(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}

function fromLittleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

describe('Ed25519 through OpenSSL, against @noble/curves', () => {
  it('derives the same public keys and makes byte-identical signatures', () => {
    for (let i = 0; i < 40; i++) {
      const seed = randomBytes(rng, 32);
      const message = randomBytes(rng, i * 7);
      const key = ed25519PrivateKey(seed);
      expect(ed25519PublicKeyOf(key)).toEqual(ed25519.getPublicKey(seed));
      expect(ed25519Sign(key, message)).toEqual(ed25519.sign(message, seed));
    }
  });

  it("accepts @noble/curves' signatures and rejects any change to key, message or signature", () => {
    const seed = randomBytes(rng, 32);
    const other = ed25519.getPublicKey(randomBytes(rng, 32));
    const publicKey = ed25519.getPublicKey(seed);
    const message = randomBytes(rng, 48);
    const signature = ed25519.sign(message, seed);
    expect(ed25519Verify(publicKey, message, signature)).toBe(true);
    expect(ed25519Verify(other, message, signature)).toBe(false);
    const changed = Uint8Array.from(message);
    changed[17] ^= 1;
    expect(ed25519Verify(publicKey, changed, signature)).toBe(false);
    for (const at of [0, 31, 32, 63]) {
      const bad = Uint8Array.from(signature);
      bad[at] ^= 0x40;
      expect(ed25519Verify(publicKey, message, bad)).toBe(false);
    }
  });

  it('refuses malformed keys and signatures without throwing', () => {
    const seed = randomBytes(rng, 32);
    const publicKey = ed25519.getPublicKey(seed);
    const message = randomBytes(rng, 16);
    const signature = ed25519.sign(message, seed);
    expect(ed25519Verify(publicKey.subarray(1), message, signature)).toBe(false);
    expect(ed25519Verify(publicKey, message, signature.subarray(1))).toBe(false);
    expect(ed25519Verify(new Uint8Array(32).fill(0xff), message, signature)).toBe(false);
    // The same signature with S + L: equal modulo L, but not canonical, so refused.
    const s = fromLittleEndian(signature.subarray(32)) + L;
    const malleated = Uint8Array.from(signature);
    malleated.set(littleEndian(s), 32);
    expect(s < 2n ** 256n).toBe(true);
    expect(ed25519Verify(publicKey, message, malleated)).toBe(false);
    expect(() => ed25519PrivateKey(new Uint8Array(31))).toThrow(/32 bytes/);
  });

  it("signs after the caller wipes its seed: the signer keeps OpenSSL's key, not the bytes", () => {
    const seed = randomBytes(rng, 32);
    const copy = Uint8Array.from(seed);
    const signer = inMemorySigner(seed, 'plain-file');
    seed.fill(0);
    expect(signer.publicKey).toEqual(ed25519.getPublicKey(copy));
    expect(signer.signTagged('concord/test', new Uint8Array(5))).toEqual(
      ed25519.sign(taggedHash('concord/test', new Uint8Array(5)), copy),
    );
  });
});
