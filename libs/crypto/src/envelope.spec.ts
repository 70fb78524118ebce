import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError } from './crypto-error.js';
import { type EnvelopeHeader, openEnvelope, readEnvelopeHeader, sealEnvelope } from './envelope.js';
import { randomBytes, seededRandom } from './random.js';

const rng = seededRandom('envelope');
const key = randomBytes(rng, 32);
const header: EnvelopeHeader = {
  sessionId: 's-1',
  round: 'input',
  from: 1,
  to: 2,
  chunk: 0,
  chunks: 1,
};
const plaintext = randomBytes(rng, 1000);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof CryptoError ? e.code : 'other';
  }
  return undefined;
}

describe('envelopes', () => {
  it('round-trips and exposes only the header in the clear', () => {
    const env = sealEnvelope(key, header, plaintext, rng);
    expect(readEnvelopeHeader(env).header).toEqual(header);
    expect(openEnvelope(key, env, header)).toEqual(plaintext);
    expect(Buffer.from(env).includes(Buffer.from(plaintext.subarray(0, 16)))).toBe(false);
  });

  it('lays out a vector of many cipher pieces exactly as one AES-GCM pass would, and opens it', () => {
    const big = randomBytes(rng, 200_001); // three 64 KiB pieces and a partial one
    const env = sealEnvelope(key, header, big, seededRandom('nonce'));
    const nonce = randomBytes(seededRandom('nonce'), 12);
    const { headerEnd } = readEnvelopeHeader(env);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(env.subarray(0, headerEnd));
    const expected = Buffer.concat([
      env.subarray(0, headerEnd),
      nonce,
      cipher.update(big),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    expect(Buffer.from(env).equals(expected)).toBe(true);
    expect(Buffer.from(openEnvelope(key, env, header)).equals(big)).toBe(true);
    const flipped = env.slice();
    flipped[env.length - 20] ^= 1; // in the last piece
    expect(codeOf(() => openEnvelope(key, flipped, header))).toBe('envelope-authentication-failed');
  });

  it('seals a plaintext given in pieces as the same bytes, and opens into a caller’s buffer', () => {
    const pieces = [plaintext.subarray(0, 1), plaintext.subarray(1, 1), plaintext.subarray(1)];
    const env = sealEnvelope(key, header, pieces, seededRandom('same nonce'));
    expect(env).toEqual(sealEnvelope(key, header, plaintext, seededRandom('same nonce')));
    const buffer = new Uint8Array(plaintext.length + 10);
    const opened = openEnvelope(key, env, header, buffer);
    expect(opened).toEqual(plaintext);
    expect(opened.buffer).toBe(buffer.buffer);
    // Too small a buffer is not written: the plaintext gets its own.
    const small = new Uint8Array(plaintext.length - 1);
    expect(openEnvelope(key, env, header, small).buffer).not.toBe(small.buffer);
    expect(small.every((b) => b === 0)).toBe(true);
  });

  it('refuses an envelope replayed into another round, direction or session', () => {
    const env = sealEnvelope(key, header, plaintext, rng);
    for (const other of [
      { ...header, round: 'open' },
      { ...header, from: 3 },
      { ...header, to: 3 },
      { ...header, sessionId: 's-2' },
      { ...header, chunk: 1, chunks: 2 },
    ]) {
      expect(codeOf(() => openEnvelope(key, env, other))).toBe('envelope-header-mismatch');
    }
  });

  it('detects any flipped bit in the body and a wrong key', () => {
    const env = sealEnvelope(key, header, plaintext, rng);
    const { headerEnd } = readEnvelopeHeader(env);
    for (const offset of [headerEnd, headerEnd + 20, env.length - 1]) {
      const bad = env.slice();
      bad[offset] ^= 1;
      expect(codeOf(() => openEnvelope(key, bad, header))).toBe('envelope-authentication-failed');
    }
    expect(codeOf(() => openEnvelope(randomBytes(rng, 32), env, header))).toBe(
      'envelope-authentication-failed',
    );
  });

  it('rejects malformed bytes with a typed error, never a crash', () => {
    for (const bad of [
      new Uint8Array(0),
      new Uint8Array(40),
      Uint8Array.from([2, ...new Uint8Array(40)]),
    ]) {
      expect(codeOf(() => readEnvelopeHeader(bad))).toBe('envelope-malformed');
    }
    const garbageHeader = Uint8Array.from([1, 0, 3, 0x7b, 0x7b, 0x7b, ...new Uint8Array(40)]);
    expect(codeOf(() => readEnvelopeHeader(garbageHeader))).toBe('envelope-malformed');
  });
});
