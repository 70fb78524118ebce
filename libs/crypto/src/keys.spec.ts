import { describe, expect, it } from 'vitest';
import { utf8 } from './bytes.js';
import { canonicalJson } from './canonical-json.js';
import { constantTimeEqual } from './constant-time.js';
import { generateIdentityKeyPair, signTagged, verifyTagged } from './identity.js';
import { seededRandom } from './random.js';
import { deriveDirectionalKey, generateSessionKeyPair } from './session-keys.js';

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
  it('agree between sender and receiver and differ per direction', () => {
    const a = generateSessionKeyPair(rng);
    const b = generateSessionKeyPair(rng);
    const base = {
      sessionId: 's',
      senderIndex: 1,
      receiverIndex: 2,
      senderPublicKey: a.publicKey,
      receiverPublicKey: b.publicKey,
    };
    const atSender = deriveDirectionalKey({ ...base, mySecretKey: a.secretKey, iAmSender: true });
    const atReceiver = deriveDirectionalKey({
      ...base,
      mySecretKey: b.secretKey,
      iAmSender: false,
    });
    expect(constantTimeEqual(atSender, atReceiver)).toBe(true);
    const reverse = deriveDirectionalKey({
      sessionId: 's',
      senderIndex: 2,
      receiverIndex: 1,
      senderPublicKey: b.publicKey,
      receiverPublicKey: a.publicKey,
      mySecretKey: b.secretKey,
      iAmSender: true,
    });
    expect(constantTimeEqual(atSender, reverse)).toBe(false);
    const otherSession = deriveDirectionalKey({
      ...base,
      sessionId: 't',
      mySecretKey: a.secretKey,
      iAmSender: true,
    });
    expect(constantTimeEqual(atSender, otherSession)).toBe(false);
  });

  it('refuses a low-order peer key', () => {
    const a = generateSessionKeyPair(rng);
    expect(() =>
      deriveDirectionalKey({
        sessionId: 's',
        senderIndex: 1,
        receiverIndex: 2,
        senderPublicKey: a.publicKey,
        receiverPublicKey: new Uint8Array(32),
        mySecretKey: a.secretKey,
        iAmSender: true,
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
