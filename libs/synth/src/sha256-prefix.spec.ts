import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Prng } from './prng.js';
import { PrefixedSha256, sha256Prefix128 } from './sha256-prefix.js';
import { substream, SubstreamFamily } from './substream.js';

/** The reference: node:crypto's digest, first 16 bytes as little-endian words. */
function reference(message: string): number[] {
  const digest = hash('sha256', message, 'buffer');
  return [0, 4, 8, 12].map((k) => digest.readUInt32LE(k));
}

function fast(message: string): number[] {
  const out = new Uint32Array(4);
  sha256Prefix128(message, out);
  return [...out];
}

describe('sha256Prefix128', () => {
  it('equals node:crypto for every length from 0 to 300 bytes (one to six blocks)', () => {
    for (let n = 0; n <= 300; n++) {
      const message = Array.from({ length: n }, (_, i) =>
        String.fromCharCode(33 + ((i * 7 + n) % 90)),
      ).join('');
      expect(fast(message), `length ${n}`).toEqual(reference(message));
    }
  });

  it('encodes non-ASCII text as UTF-8 and grows its scratch for long messages', () => {
    for (const message of ['é', 'zone\0Ωmega\0', '🚇'.repeat(40), 'x'.repeat(5000), '']) {
      expect(fast(message)).toEqual(reference(message));
    }
  });

  it('seeds substreams exactly as a node:crypto digest would', () => {
    for (const id of [0, 7, 5_360_078, '20260310:123456', 'T-route-17']) {
      const message = `concord/synth/v1\u00002026\u0000P\u0000rider-day\u0000${id}`;
      const expected = Prng.fromBytes(hash('sha256', message, 'buffer'));
      const actual = substream('2026', 'P', 'rider-day', id);
      const draws = (rng: Prng) => Array.from({ length: 8 }, () => rng.nextU32());
      expect(draws(actual)).toEqual(draws(expected));
    }
  });

  it('hashes a prefix and a number as the whole message, whichever side of the one-block limit', () => {
    const numbers = [0, 9, 10, 99, 1234567, 5_360_078, Number.MAX_SAFE_INTEGER];
    // Prefixes of 0 to 70 bytes: no whole word, some, more than a block's 16, and past a block.
    for (let n = 0; n <= 70; n++) {
      const prefix = Array.from({ length: n }, (_, i) => String.fromCharCode(48 + (i % 40))).join(
        '',
      );
      const hasher = new PrefixedSha256(prefix);
      for (const k of numbers) {
        const out = new Uint32Array(4);
        hasher.digestWithNumber(k, out);
        expect([...out], `${n} + ${k}`).toEqual(reference(`${prefix}${k}`));
      }
    }
    const out = new Uint32Array(4);
    for (const bad of [-1, 1.5, 2 ** 53]) {
      expect(() => new PrefixedSha256('é\0Ω').digestWithNumber(bad, out)).toThrow(RangeError);
    }
  });

  it("gives a family's streams exactly as substream gives them", () => {
    const draws = (rng: Prng) => Array.from({ length: 8 }, () => rng.nextU32());
    const riderDays = new SubstreamFamily('2026', 'P', 'rider-day', '2026-03-10:');
    const riders = new SubstreamFamily('18446744073709551615', 'P', 'rider');
    for (const index of [0, 1, 42, 999_999, 5_360_077]) {
      expect(draws(riderDays.at(index))).toEqual(
        draws(substream('2026', 'P', 'rider-day', `2026-03-10:${index}`)),
      );
      expect(draws(riders.at(index))).toEqual(
        draws(substream('18446744073709551615', 'P', 'rider', index)),
      );
    }
  });
});
