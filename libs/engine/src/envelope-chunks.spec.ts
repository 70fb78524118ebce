import { describe, expect, it } from 'vitest';
import { openEnvelope, seededRandom } from '#concord/crypto';
import { ChunkSequencer, sealChunks } from './envelope-chunks.js';

const key = new Uint8Array(32).fill(3);
const base = { sessionId: '00000000-0000-4000-8000-000000000000', round: 'input', from: 1, to: 2 };

describe('sealing a payload in chunks', () => {
  it('seals pieces exactly as it would their concatenation, cut at the same places', () => {
    const rng = seededRandom('envelope-chunks/pieces');
    const sizes = [1, 0, 32, 1, 100, 7, 0, 250, 1];
    const pieces = sizes.map((n) => {
      const p = new Uint8Array(n);
      rng.fill(p);
      return p;
    });
    const whole = Buffer.concat(pieces);
    for (const chunkBytes of [1, 3, 64, whole.length, whole.length + 1]) {
      const envelopes = sealChunks(key, base, pieces, chunkBytes, rng).map((sealNow) => sealNow());
      expect(envelopes).toHaveLength(Math.ceil(whole.length / chunkBytes));
      const opened = envelopes.map((e) => openEnvelope(key, e.bytes, e.header));
      opened.forEach((plaintext, chunk) => {
        expect(Buffer.from(plaintext)).toEqual(
          whole.subarray(chunk * chunkBytes, (chunk + 1) * chunkBytes),
        );
      });
    }
  });

  it('seals each chunk only when it is called for', () => {
    const payload = new Uint8Array(32);
    const [first, second, ...rest] = sealChunks(key, base, [payload], 16, seededRandom('lazy'));
    expect(rest).toEqual([]);
    const a = first();
    payload.fill(7); // after the first chunk was sealed: only the second carries it
    const b = second();
    expect(openEnvelope(key, a.bytes, a.header)).toEqual(new Uint8Array(16));
    expect(openEnvelope(key, b.bytes, b.header)).toEqual(new Uint8Array(16).fill(7));
  });

  it('seals an empty payload as one empty chunk', () => {
    const [only, ...rest] = sealChunks(key, base, [], 16, seededRandom('empty')).map((s) => s());
    expect(rest).toEqual([]);
    expect(only.header).toMatchObject({ chunk: 0, chunks: 1 });
    expect(openEnvelope(key, only.bytes, only.header)).toEqual(new Uint8Array(0));
  });
});

describe('putting chunks back in order', () => {
  it('delivers each chunk once every chunk before it arrived, and ignores repeats', () => {
    const delivered: number[] = [];
    const sequencer = new ChunkSequencer(4, (p) => delivered.push(p[0]));
    expect(sequencer.add(2, Uint8Array.of(2))).toBe(true);
    expect(delivered).toEqual([]);
    expect(sequencer.add(0, Uint8Array.of(0))).toBe(true);
    expect(delivered).toEqual([0]);
    expect(sequencer.add(2, Uint8Array.of(9))).toBe(false);
    expect(sequencer.add(1, Uint8Array.of(1))).toBe(true);
    expect(delivered).toEqual([0, 1, 2]);
    expect(sequencer.complete()).toBe(false);
    expect(sequencer.add(0, Uint8Array.of(9))).toBe(false);
    expect(sequencer.add(3, Uint8Array.of(3))).toBe(true);
    expect(delivered).toEqual([0, 1, 2, 3]);
    expect(sequencer.complete()).toBe(true);
  });

  it('keeps its own copy of a chunk that waits, since the caller reuses its buffer', () => {
    const delivered: number[] = [];
    const sequencer = new ChunkSequencer(2, (p) => delivered.push(p[0]));
    const buffer = Uint8Array.of(1);
    sequencer.add(1, buffer);
    buffer[0] = 0;
    sequencer.add(0, buffer);
    expect(delivered).toEqual([0, 1]);
  });
});
