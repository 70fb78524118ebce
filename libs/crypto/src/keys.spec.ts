import { x25519 } from '@noble/curves/ed25519.js';
import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from './bytes.js';
import { canonicalJson } from './canonical-json.js';
import { constantTimeEqual } from './constant-time.js';
import { generateIdentityKeyPair, signTagged, verifyTagged } from './identity.js';
import { seededRandom } from './random.js';
import { deriveSessionKeys, generateSessionKeyPair } from './session-keys.js';

const rng = seededRandom('keys');

describe('identity signatures', () => {
  it('verify only under the same purpose, message and key', () => {
    const alice = generateIdentityKeyPair(rng);
    const bob = generateIdentityKeyPair(rng);
    const sig = signTagged(alice.secretKey, 'concord/test', utf8('hello'));
    expect(verifyTagged(alice.publicKey, 'concord/test', utf8('hello'), sig)).toBe(true);
    expect(verifyTagged(alice.publicKey, 'concord/other', utf8('hello'), sig)).toBe(false);
    expect(verifyTagged(alice.publicKey, 'concord/test', utf8('hellO'), sig)).toBe(false);
    expect(verifyTagged(bob.publicKey, 'concord/test', utf8('hello'), sig)).toBe(false);
    expect(verifyTagged(alice.publicKey, 'concord/test', utf8('hello'), sig.subarray(1))).toBe(
      false,
    );
  });
});

describe('directional session keys', () => {
  it('agree between the two parties and differ per direction and per session', () => {
    const a = generateSessionKeyPair(rng);
    const b = generateSessionKeyPair(rng);
    const atA = deriveSessionKeys({
      sessionId: 's',
      mySecretKey: a.secretKey,
      myIndex: 1,
      myPublicKey: a.publicKey,
      peerIndex: 2,
      peerPublicKey: b.publicKey,
    });
    const atB = deriveSessionKeys({
      sessionId: 's',
      mySecretKey: b.secretKey,
      myIndex: 2,
      myPublicKey: b.publicKey,
      peerIndex: 1,
      peerPublicKey: a.publicKey,
    });
    expect(constantTimeEqual(atA.send, atB.receive)).toBe(true);
    expect(constantTimeEqual(atA.receive, atB.send)).toBe(true);
    expect(constantTimeEqual(atA.send, atA.receive)).toBe(false);
    const otherSession = deriveSessionKeys({
      sessionId: 't',
      mySecretKey: a.secretKey,
      myIndex: 1,
      myPublicKey: a.publicKey,
      peerIndex: 2,
      peerPublicKey: b.publicKey,
    });
    expect(constantTimeEqual(atA.send, otherSession.send)).toBe(false);
  });

  it('are HKDF-SHA256 over the X25519 secret, salted with the session, bound to direction and keys', () => {
    // Pinned to the definition, so parties on different builds derive the same keys.
    const a = generateSessionKeyPair(rng);
    const b = generateSessionKeyPair(rng);
    const shared = x25519.getSharedSecret(a.secretKey, b.publicKey);
    const expected = (from: number, to: number, fromKey: Uint8Array, toKey: Uint8Array) =>
      new Uint8Array(
        hkdfSync(
          'sha256',
          shared,
          utf8('session-7'),
          concatBytes(utf8(`concord/aead/v1/${from}->${to}`), fromKey, toKey),
          32,
        ),
      );
    const keys = deriveSessionKeys({
      sessionId: 'session-7',
      mySecretKey: a.secretKey,
      myIndex: 3,
      myPublicKey: a.publicKey,
      peerIndex: 1,
      peerPublicKey: b.publicKey,
    });
    expect(keys.send).toEqual(expected(3, 1, a.publicKey, b.publicKey));
    expect(keys.receive).toEqual(expected(1, 3, b.publicKey, a.publicKey));
  });

  it('refuses a low-order peer key', () => {
    const a = generateSessionKeyPair(rng);
    expect(() =>
      deriveSessionKeys({
        sessionId: 's',
        mySecretKey: a.secretKey,
        myIndex: 1,
        myPublicKey: a.publicKey,
        peerIndex: 2,
        peerPublicKey: new Uint8Array(32),
      }),
    ).toThrow(/low-order|valid X25519/);
  });
});

describe('canonical JSON', () => {
  it('sorts keys and refuses values with no canonical form', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,"x"]},"b":1}',
    );
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ a: new Date() })).toThrow(/plain object/);
  });
});
