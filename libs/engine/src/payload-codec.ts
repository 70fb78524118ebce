import { type FieldVector, type PrimeField, vectorFromBytes, vectorToBytes } from '#concord/field';
import { SEED_BYTES, type ShareMessage } from '#concord/sharing';
import { EngineError } from './engine-error.js';

const KIND_SEED = 1;
const KIND_VECTOR = 2;

/**
 * The plaintext of a round's payload: a sequence of sections whose order and sizes the plan
 * fixes, so the receiver reads exactly what it expects and refuses anything else. Vectors go as
 * their raw little-endian limbs (no JSON, no decimal strings).
 */
export class PayloadWriter {
  private readonly parts: Uint8Array[] = [];

  bytes(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }

  share(message: ShareMessage): this {
    if (message.kind === 'seed') {
      this.parts.push(Uint8Array.of(KIND_SEED), message.seed);
    } else {
      this.vector(message.vector);
    }
    return this;
  }

  vector(v: FieldVector): this {
    this.parts.push(Uint8Array.of(KIND_VECTOR), vectorToBytes(v));
    return this;
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

export class PayloadReader {
  private offset = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly what: string,
  ) {}

  bytes(n: number): Uint8Array {
    if (this.offset + n > this.data.length) this.fail('is truncated');
    const out = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  share(field: PrimeField, length: number): ShareMessage {
    const kind = this.bytes(1)[0];
    if (kind === KIND_SEED) return { kind: 'seed', seed: new Uint8Array(this.bytes(SEED_BYTES)) };
    if (kind === KIND_VECTOR) return { kind: 'vector', vector: this.vectorBody(field, length) };
    return this.fail('has an unknown section kind');
  }

  vector(field: PrimeField, length: number): FieldVector {
    if (this.bytes(1)[0] !== KIND_VECTOR) this.fail('expected a vector');
    return this.vectorBody(field, length);
  }

  /** Bytes read so far (for hashing a prefix of the payload, e.g. a committed noise section). */
  consumed(): Uint8Array {
    return this.data.subarray(0, this.offset);
  }

  end(): void {
    if (this.offset !== this.data.length) this.fail('has trailing bytes');
  }

  private vectorBody(field: PrimeField, length: number): FieldVector {
    const raw = this.bytes(4 * field.limbs * length);
    try {
      // Copy so the vector owns aligned memory independent of the received buffer (and note
      // that Buffer#slice returns a view, hence the constructor).
      return vectorFromBytes(field, length, new Uint8Array(raw));
    } catch {
      return this.fail('holds a malformed vector');
    }
  }

  private fail(why: string): never {
    throw new EngineError('malformed-payload', `${this.what} ${why}`);
  }
}
