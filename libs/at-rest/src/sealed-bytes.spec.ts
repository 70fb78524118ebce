import { seededRandom, utf8 } from '#concord/crypto';
import { describe, expect, it } from 'vitest';
import { AtRestError, type AtRestErrorCode } from './at-rest-error.js';
import { operatorKeyKek } from './operator-key.js';
import { newPassphraseKek } from './passphrase-kek.js';
import type { SealContext } from './seal-context.js';
import { openBytes, rewrapBytes, sealBytes } from './sealed-bytes.js';

const rng = seededRandom('sealed-bytes.spec');
const key = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const kekA = operatorKeyKek(key(1), rng);
const kekB = operatorKeyKek(key(2), rng);
const LEDGER: SealContext = { purpose: 'node-ledger', agencyId: 'metro-transit' };
const NAME = '/var/lib/concord/ledger.json';
const PLAINTEXT = utf8(
  '{"format":"concord-node-ledger","version":1}\n{"kind":"charge","sessionId":"s-1"}\n',
);

/** Where each region of a sealed file starts (docs/security.md, 'Encryption at rest'). */
function regions(sealed: Uint8Array): Record<string, [number, number]> {
  const idLen = sealed[21];
  const keyLenAt = 22 + idLen;
  const keyLen = (sealed[keyLenAt] << 8) | sealed[keyLenAt + 1];
  const bodyAt = keyLenAt + 2 + keyLen;
  return {
    magic: [0, 8],
    version: [8, 9],
    nonce: [9, 21],
    'kek id length': [21, 22],
    'kek id': [22, keyLenAt],
    'wrapped key length': [keyLenAt, keyLenAt + 2],
    'wrapped key': [keyLenAt + 2, bodyAt],
    ciphertext: [bodyAt, sealed.length - 16],
    tag: [sealed.length - 16, sealed.length],
  };
}

function refusal(f: () => unknown): AtRestError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AtRestError);
    const error = e as AtRestError;
    expect(error.message).toContain(NAME);
    expect(error.message).toContain('refused and not used');
    return error;
  }
  throw new Error('expected a refusal');
}

describe('sealed bytes', () => {
  it('round-trips any plaintext, the empty one included, and never shows it in the file', () => {
    for (const text of [PLAINTEXT, new Uint8Array(0), new Uint8Array(70_000).fill(7)]) {
      const sealed = sealBytes(text, kekA, LEDGER, rng);
      expect(openBytes(sealed, kekA, LEDGER, NAME)).toEqual(text);
    }
    const sealed = Buffer.from(sealBytes(PLAINTEXT, kekA, LEDGER, rng));
    expect(sealed.includes('s-1')).toBe(false);
    expect(sealed.includes('concord-node-ledger')).toBe(false);
  });

  it('draws a new data key and nonce for every seal', () => {
    const one = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    const two = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    const r = regions(one);
    expect(one.subarray(...r.nonce)).not.toEqual(two.subarray(...r.nonce));
    expect(one.subarray(...r['wrapped key'])).not.toEqual(two.subarray(...r['wrapped key']));
  });

  const expected: Record<string, AtRestErrorCode[]> = {
    magic: ['at-rest-not-sealed'],
    version: ['at-rest-unsupported-version'],
    nonce: ['at-rest-tampered'],
    // A changed length misplaces every later field: refused one way or another.
    'kek id length': ['at-rest-tampered', 'at-rest-truncated', 'at-rest-wrong-key'],
    'kek id': ['at-rest-wrong-key', 'at-rest-tampered'],
    'wrapped key length': ['at-rest-tampered', 'at-rest-truncated'],
    'wrapped key': ['at-rest-tampered'],
    ciphertext: ['at-rest-tampered'],
    tag: ['at-rest-tampered'],
  };
  for (const [region, codes] of Object.entries(expected))
    it(`refuses a file with any byte of its ${region} altered`, () => {
      const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
      const [from, to] = regions(sealed)[region];
      expect(to).toBeGreaterThan(from);
      for (let i = from; i < to; i++) {
        const altered = Uint8Array.from(sealed);
        altered[i] ^= 0x01;
        expect(codes).toContain(refusal(() => openBytes(altered, kekA, LEDGER, NAME)).code);
      }
    });

  it('refuses a file cut short at any length', () => {
    const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    for (let n = 0; n < sealed.length; n++) {
      const code = refusal(() => openBytes(sealed.subarray(0, n), kekA, LEDGER, NAME)).code;
      expect(['at-rest-truncated', 'at-rest-tampered']).toContain(code);
    }
  });

  it('refuses a file sealed under another KEK, naming both', () => {
    const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    const e = refusal(() => openBytes(sealed, kekB, LEDGER, NAME));
    expect(e.code).toBe('at-rest-wrong-key');
    expect(e.message).toContain(kekA.id);
    expect(e.message).toContain(kekB.id);
  });

  it('refuses a KEK that claims the right id but holds another key', () => {
    const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    const impostor = {
      id: kekA.id,
      wrap: (k: Uint8Array, c: Uint8Array) => kekB.wrap(k, c),
      unwrap: (w: Uint8Array, c: Uint8Array) => kekB.unwrap(w, c),
    };
    expect(refusal(() => openBytes(sealed, impostor, LEDGER, NAME)).code).toBe('at-rest-tampered');
  });

  it('refuses a file sealed for another agency or another purpose (swapped files)', () => {
    const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    for (const other of [
      { ...LEDGER, agencyId: 'farepay' },
      { ...LEDGER, purpose: 'node-outbox' },
    ])
      expect(refusal(() => openBytes(sealed, kekA, other, NAME)).code).toBe('at-rest-tampered');
  });

  it('reports a KEK that fails (an HSM error) as such, not as tampering', () => {
    const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    const down = {
      id: kekA.id,
      wrap: (k: Uint8Array, c: Uint8Array) => kekA.wrap(k, c),
      unwrap: () => {
        throw new Error('CKR_DEVICE_REMOVED');
      },
    };
    const e = refusal(() => openBytes(sealed, down, LEDGER, NAME));
    expect(e.code).toBe('at-rest-kek-failed');
    expect(e.message).toContain('CKR_DEVICE_REMOVED');
  });

  it('rewraps only the key slot: the body is byte-identical, the old KEK no longer opens it', () => {
    const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    const rewrapped = rewrapBytes(sealed, kekA, kekB, LEDGER, NAME);
    const before = regions(sealed);
    const after = regions(rewrapped);
    for (const region of ['magic', 'version', 'nonce', 'ciphertext', 'tag'])
      expect(Buffer.from(rewrapped.subarray(...after[region]))).toEqual(
        Buffer.from(sealed.subarray(...before[region])),
      );
    expect(rewrapped.subarray(after.ciphertext[0])).toEqual(sealed.subarray(before.ciphertext[0]));
    expect(openBytes(rewrapped, kekB, LEDGER, NAME)).toEqual(PLAINTEXT);
    expect(refusal(() => openBytes(rewrapped, kekA, LEDGER, NAME)).code).toBe('at-rest-wrong-key');
  });

  it('rewraps between kinds of KEK (a passphrase KEK to a key KEK)', () => {
    const fromPassphrase = newPassphraseKek(
      'correct horse battery staple',
      { log2N: 10, r: 8, p: 1 },
      rng,
    );
    const sealed = sealBytes(PLAINTEXT, fromPassphrase, LEDGER, rng);
    const rewrapped = rewrapBytes(sealed, fromPassphrase, kekA, LEDGER, NAME);
    expect(openBytes(rewrapped, kekA, LEDGER, NAME)).toEqual(PLAINTEXT);
  });

  it('refuses to rewrap a file that does not open, and never under a wrong old KEK', () => {
    const sealed = sealBytes(PLAINTEXT, kekA, LEDGER, rng);
    const altered = Uint8Array.from(sealed);
    altered[altered.length - 20] ^= 0x80;
    expect(refusal(() => rewrapBytes(altered, kekA, kekB, LEDGER, NAME)).code).toBe(
      'at-rest-tampered',
    );
    expect(refusal(() => rewrapBytes(sealed, kekB, kekA, LEDGER, NAME)).code).toBe(
      'at-rest-wrong-key',
    );
  });
});
