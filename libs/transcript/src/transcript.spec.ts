import { describe, expect, it } from 'vitest';
import { generateIdentitySigner, seededRandom, toHex } from '#concord/crypto';
import { signSeal, verifySeal } from './seal.js';
import { appendEntry, type TranscriptEntry } from './transcript-entry.js';
import { verifyChain } from './verify-chain.js';

function chain(sessionId: string, n: number): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      appendEntry(
        sessionId,
        out.at(-1),
        'envelope',
        { i, digest: `d${i}` } as never,
        new Date(1_700_000_000_000 + i),
      ),
    );
  }
  return out;
}

describe('transcript hash chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain('s', chain('s', 5))).toBeUndefined();
    expect(verifyChain('s', [])).toBeUndefined();
  });

  it('names the first bad entry for an edit, a removal, a reorder or a foreign session', () => {
    const entries = chain('s', 5);
    const edited = entries.map((e) =>
      e.seq === 2 ? ({ ...e, body: { i: 2, digest: 'forged' } } as unknown as TranscriptEntry) : e,
    );
    expect(verifyChain('s', edited)).toEqual({ seq: 2, reason: 'hash does not match its content' });
    expect(verifyChain('s', [entries[0], entries[2]])?.seq).toBe(2);
    expect(verifyChain('s', [entries[1], entries[0]])).toMatchObject({ seq: 1 });
    expect(verifyChain('t', entries)).toEqual({
      seq: 0,
      reason: 'does not point at the previous entry',
    });
  });
});

describe('seals', () => {
  it('verify under the signer key for that session and head only', () => {
    const rng = seededRandom('seal');
    const party = generateIdentitySigner(rng);
    const other = generateIdentitySigner(rng);
    const head = chain('s', 3)[2].hash;
    const sig = toHex(signSeal(party, 's', head));
    expect(verifySeal(party.publicKey, 's', head, sig)).toBe(true);
    expect(verifySeal(other.publicKey, 's', head, sig)).toBe(false);
    expect(verifySeal(party.publicKey, 't', head, sig)).toBe(false);
    expect(verifySeal(party.publicKey, 's', chain('s', 2)[1].hash, sig)).toBe(false);
    expect(verifySeal(party.publicKey, 's', head, 'zz')).toBe(false);
  });
});
