import { describe, expect, it } from 'vitest';
import { type RandomSource, seededRandom } from '#concord/crypto';
import { fieldById, type PrimeField, randomVector, vectorToBytes } from '#concord/field';
import type { ShareMessage } from '#concord/sharing';
import { EngineError } from './engine-error.js';
import {
  type DecodedPayload,
  maxPayloadBytes,
  PayloadDecoder,
  PayloadWriter,
  type Section,
} from './payload-codec.js';

const SALT = 32;

function below(rng: RandomSource, n: number): number {
  const word = new Uint32Array(1);
  rng.fill(new Uint8Array(word.buffer));
  return word[0] % n;
}

/** A random layout and a payload that fills it: a salt, shares (seed or vector) and vectors. */
function randomPayload(rng: RandomSource, field: PrimeField) {
  const layout: Section[] = [{ type: 'bytes', bytes: SALT }];
  const values: (Uint8Array | ShareMessage)[] = [];
  const writer = new PayloadWriter();
  const salt = new Uint8Array(SALT);
  rng.fill(salt);
  writer.bytes(salt);
  values.push(salt);
  for (let i = 1 + below(rng, 5); i > 0; i--) {
    const length = below(rng, 40);
    const kind = below(rng, 3);
    if (kind === 0) {
      const seed = new Uint8Array(32);
      rng.fill(seed);
      layout.push({ type: 'share', length });
      writer.share({ kind: 'seed', seed });
      values.push({ kind: 'seed', seed });
    } else {
      const vector = randomVector(field, length, rng);
      layout.push({ type: kind === 1 ? 'share' : 'vector', length });
      if (kind === 1) writer.share({ kind: 'vector', vector });
      else writer.vector(vector);
      values.push({ kind: 'vector', vector });
    }
  }
  return { layout, values, bytes: new Uint8Array(Buffer.concat(writer.pieces)) };
}

/** Splits `bytes` at random points (chunks of 1 to `most` bytes; an empty payload is one chunk). */
function randomChunks(rng: RandomSource, bytes: Uint8Array, most: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = 1 + below(rng, most);
    chunks.push(bytes.slice(at, at + n));
    at += n;
  }
  return chunks.length > 0 ? chunks : [new Uint8Array(0)];
}

function decode(
  field: PrimeField,
  layout: readonly Section[],
  chunks: readonly Uint8Array[],
): DecodedPayload {
  const decoder = new PayloadDecoder(field, layout, 'the payload');
  for (const c of chunks) decoder.push(c);
  return decoder.finish();
}

/** Reads every section in layout order, then ends: the bytes read after each, or the refusal. */
function readAll(payload: DecodedPayload, layout: readonly Section[]): string[] {
  const out: string[] = [];
  try {
    for (const s of layout) {
      if (s.type === 'bytes') payload.bytes();
      else if (s.type === 'share') payload.share();
      else payload.vector();
      out.push(Buffer.concat(payload.consumed()).toString('hex'));
    }
    payload.end();
    out.push('end');
  } catch (e) {
    if (!(e instanceof EngineError) || e.code !== 'malformed-payload') throw e;
    out.push(`refused: ${e.message}`);
  }
  return out;
}

describe('payloads read chunk by chunk', () => {
  const fields = [fieldById('rns31x1'), fieldById('rns31x3')];

  it('reads back every section however the payload is cut, with no copy of it whole', () => {
    const rng = seededRandom('payload-codec/round-trip');
    let reached = 0;
    for (const field of fields) {
      for (let trial = 0; trial < 60; trial++) {
        const { layout, values, bytes } = randomPayload(rng, field);
        // The bound a receiver holds a sender to: reached when every share is a vector at least
        // as long as a seed.
        const max = maxPayloadBytes(field, layout);
        expect(bytes.length).toBeLessThanOrEqual(max);
        const longVectors = values.every(
          (v) => v instanceof Uint8Array || (v.kind === 'vector' && v.vector.data.length >= 8),
        );
        if (longVectors) {
          expect(bytes.length).toBe(max);
          reached++;
        }
        for (const most of [1, 7, 64, bytes.length || 1]) {
          const payload = decode(field, layout, randomChunks(rng, bytes, most));
          layout.forEach((s, i) => {
            const expected = values[i];
            if (s.type === 'bytes') expect(payload.bytes()).toEqual(expected);
            else if (s.type === 'share') expect(payload.share()).toEqual(expected);
            else expect(payload.vector()).toEqual((expected as { vector: unknown }).vector);
          });
          payload.end();
          // The sections read are the wire bytes they came in: what a commitment hashes.
          expect(Buffer.concat(payload.consumed())).toEqual(Buffer.from(bytes));
        }
      }
    }
    expect(reached).toBeGreaterThan(5);
  });

  it('gives the pieces of a prefix for hashing a committed section', () => {
    const field = fields[1];
    const { layout, bytes } = randomPayload(seededRandom('payload-codec/prefix'), field);
    const payload = decode(field, layout, [bytes]);
    payload.bytes();
    expect(Buffer.concat(payload.consumed())).toEqual(Buffer.from(bytes.subarray(0, SALT)));
  });

  it('refuses a damaged payload at the same section however it was cut', () => {
    const rng = seededRandom('payload-codec/damage');
    const seen = new Set<string>();
    for (const field of fields) {
      for (let trial = 0; trial < 300; trial++) {
        const { layout, bytes } = randomPayload(rng, field);
        const damaged = damage(rng, bytes);
        const whole = readAll(decode(field, layout, [damaged]), layout);
        for (const most of [1, 5, 33]) {
          expect(readAll(decode(field, layout, randomChunks(rng, damaged, most)), layout)).toEqual(
            whole,
          );
        }
        seen.add(whole.at(-1)!.replace(/^refused: the payload /, ''));
      }
    }
    // Every kind of refusal came up, and some damage (a byte flipped in a salt) went unnoticed
    // here: the envelope's authentication and the commitments catch those.
    expect([...seen].sort()).toEqual([
      'end',
      'expected a vector',
      'has an unknown section kind',
      'has trailing bytes',
      'holds a malformed vector',
      'is truncated',
    ]);
  });

  it('names each fault', () => {
    const field = fields[0];
    const layout: Section[] = [
      { type: 'bytes', bytes: 2 },
      { type: 'share', length: 2 },
      { type: 'vector', length: 1 },
    ];
    const seed = new Uint8Array(32).fill(9);
    const good = Buffer.concat([
      Uint8Array.of(7, 7),
      Uint8Array.of(1),
      seed,
      Uint8Array.of(2),
      vectorToBytes({ field, length: 1, data: Uint32Array.of(5) }),
    ]);
    const outcome = (bytes: Uint8Array): string =>
      readAll(decode(field, layout, [bytes]), layout).at(-1)!;
    expect(outcome(good)).toBe('end');
    expect(outcome(good.subarray(0, good.length - 1))).toBe('refused: the payload is truncated');
    expect(outcome(Buffer.concat([good, Uint8Array.of(0)]))).toBe(
      'refused: the payload has trailing bytes',
    );
    const kind = Buffer.from(good);
    kind[2] = 3;
    expect(outcome(kind)).toBe('refused: the payload has an unknown section kind');
    const seedForVector = Buffer.from(good);
    seedForVector[2 + 1 + 32] = 1;
    expect(outcome(seedForVector)).toBe('refused: the payload expected a vector');
    const big = Buffer.from(good);
    big.writeUInt32LE(field.primes[0], good.length - 4);
    expect(outcome(big)).toBe('refused: the payload holds a malformed vector');
    // Sections before the fault are read; the fault is met where it lies.
    const payload = decode(field, layout, [big]);
    expect(payload.bytes()).toEqual(Uint8Array.of(7, 7));
    expect(payload.share()).toEqual({ kind: 'seed', seed });
    expect(() => payload.vector()).toThrow(EngineError);
  });
});

/** One random fault: a flipped byte, a cut, or bytes appended. */
function damage(rng: RandomSource, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes);
  switch (below(rng, 4)) {
    case 0:
      return out.subarray(0, below(rng, out.length));
    case 1:
      return Buffer.concat([out, Uint8Array.of(below(rng, 256))]);
    default: {
      if (out.length === 0) return out;
      const at = below(rng, out.length);
      out[at] ^= 1 + below(rng, 255);
      return out;
    }
  }
}
