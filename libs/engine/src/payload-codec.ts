import {
  type FieldVector,
  firstNonCanonical,
  type PrimeField,
  vectorToBytes,
} from '#concord/field';
import { SEED_BYTES, type ShareMessage } from '#concord/sharing';
import { EngineError } from './engine-error.js';

const KIND_SEED = 1;
const KIND_VECTOR = 2;

/**
 * The plaintext of a round's payload: a sequence of sections whose order and sizes the plan
 * fixes, so the receiver reads exactly what it expects and refuses anything else. Vectors go as
 * their raw little-endian limbs (no JSON, no decimal strings).
 *
 * The writer never concatenates: its pieces are views of the salt, the seeds and the vectors'
 * own memory, and the envelopes encrypt them in place, chunk by chunk.
 */
export class PayloadWriter {
  private readonly parts: Uint8Array[] = [];

  bytes(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }

  share(message: ShareMessage): this {
    if (message.kind === 'seed') {
      // A fresh kind byte per section: a piece is never shared with another payload.
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

  /** The payload's bytes, in order, as views (their concatenation is the payload). */
  get pieces(): readonly Uint8Array[] {
    return this.parts;
  }
}

/** One section a receiver expects, in the order the plan fixes (a bytes section is never empty). */
export type Section =
  | { readonly type: 'bytes'; readonly bytes: number }
  | { readonly type: 'share'; readonly length: number }
  | { readonly type: 'vector'; readonly length: number };

type Decoded = Uint8Array | ShareMessage;

/**
 * The most bytes a payload of `layout` can hold (every share sent as a vector): a receiver refuses
 * a sender whose chunks add up to more, so a peer cannot make it buffer without bound.
 */
export function maxPayloadBytes(field: PrimeField, layout: readonly Section[]): number {
  return layout.reduce(
    (n, s) =>
      n +
      (s.type === 'bytes'
        ? s.bytes
        : 1 + Math.max(s.type === 'share' ? SEED_BYTES : 0, 4 * field.limbs * s.length)),
    0,
  );
}

/** The section being filled: its destination and how many of its bytes have arrived. */
interface Filling {
  readonly target: Uint8Array;
  filled: number;
  /** Set for a vector's limbs: its words. */
  readonly words?: Uint32Array;
  /** How many of those words were checked to be canonical. */
  checked: number;
  readonly kind: 'bytes' | 'seed' | 'vector';
}

/**
 * Reads one payload as its chunks arrive, in order: each chunk's bytes are copied straight into
 * the sections they belong to (a vector's limbs into the vector's own memory, checked to be
 * canonical while they are in the cache), so the payload never exists whole and a chunk is
 * garbage once pushed. A fault is recorded, not thrown, at the section it spoils; the consumer
 * meets it when it reads that section (`DecodedPayload`), so a payload is refused at the same
 * point whether it arrived in one chunk or many.
 */
export class PayloadDecoder {
  private readonly decoded: Decoded[] = [];
  private current: Filling | undefined;
  private fault: { at: number; why: string } | undefined;

  constructor(
    private readonly field: PrimeField,
    private readonly layout: readonly Section[],
    private readonly what: string,
  ) {}

  /** Takes the next chunk's plaintext (chunks in order). */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.fault) {
      if (!this.current) {
        if (this.decoded.length === this.layout.length) {
          this.fail('has trailing bytes');
          return;
        }
        at += this.begin(chunk[at]);
        continue;
      }
      const s = this.current;
      const n = Math.min(chunk.length - at, s.target.length - s.filled);
      s.target.set(chunk.subarray(at, at + n), s.filled);
      s.filled += n;
      at += n;
      if (s.words) this.check(s);
      if (s.filled === s.target.length && !this.fault) this.finishSection(s);
    }
  }

  /** The sections read, once every chunk was pushed; a truncated payload fails at its end. */
  finish(): DecodedPayload {
    if (!this.fault && this.decoded.length < this.layout.length) this.fail('is truncated');
    return new DecodedPayload(this.decoded, this.layout, this.fault, this.what);
  }

  /**
   * Starts the next section. A share or vector section opens with its kind byte (consumed here,
   * and 1 returned); a bytes section consumes nothing yet.
   */
  private begin(kindByte: number): number {
    const section = this.layout[this.decoded.length];
    if (section.type === 'bytes') {
      this.open({ target: new Uint8Array(section.bytes), filled: 0, checked: 0, kind: 'bytes' });
      return 0;
    }
    if (kindByte === KIND_SEED && section.type === 'share') {
      this.open({ target: new Uint8Array(SEED_BYTES), filled: 0, checked: 0, kind: 'seed' });
    } else if (kindByte === KIND_VECTOR) {
      const words = new Uint32Array(this.field.limbs * section.length);
      this.open({
        target: new Uint8Array(words.buffer),
        filled: 0,
        checked: 0,
        kind: 'vector',
        words,
      });
    } else {
      this.fail(section.type === 'vector' ? 'expected a vector' : 'has an unknown section kind');
    }
    return 1;
  }

  private open(s: Filling): void {
    this.current = s;
    if (s.target.length === 0) this.finishSection(s);
  }

  /** Checks the vector's words that are complete and not yet checked. */
  private check(s: Filling): void {
    const complete = Math.floor(s.filled / 4);
    const length = s.words!.length / this.field.limbs;
    if (firstNonCanonical(this.field, length, s.words!, s.checked, complete) >= 0) {
      this.fail('holds a malformed vector');
    }
    s.checked = complete;
  }

  private finishSection(s: Filling): void {
    this.current = undefined;
    if (s.kind === 'bytes') this.decoded.push(s.target);
    else if (s.kind === 'seed') this.decoded.push({ kind: 'seed', seed: s.target });
    else {
      const length = s.words!.length / this.field.limbs;
      this.decoded.push({ kind: 'vector', vector: { field: this.field, length, data: s.words! } });
    }
  }

  private fail(why: string): void {
    this.fault = { at: this.decoded.length, why };
  }
}

/**
 * A payload's sections, read in order as the plan lists them. Reading a section that a fault
 * spoiled (or ending a payload that was truncated or too long) throws `malformed-payload`.
 */
export class DecodedPayload {
  private next = 0;

  constructor(
    private readonly sections: readonly Decoded[],
    private readonly layout: readonly Section[],
    private readonly fault: { at: number; why: string } | undefined,
    private readonly what: string,
  ) {}

  bytes(): Uint8Array {
    return this.take('bytes') as Uint8Array;
  }

  share(): ShareMessage {
    return this.take('share') as ShareMessage;
  }

  vector(): FieldVector {
    // A vector section accepts only the vector kind (`PayloadDecoder.begin`).
    return (this.take('vector') as Extract<ShareMessage, { kind: 'vector' }>).vector;
  }

  /**
   * The wire bytes of the sections read so far, as pieces (for hashing a prefix of the payload,
   * e.g. a committed noise section): their concatenation is exactly what the sender sent.
   */
  consumed(): Uint8Array[] {
    return this.sections.slice(0, this.next).flatMap((s): Uint8Array[] => {
      if (s instanceof Uint8Array) return [s];
      return s.kind === 'seed'
        ? [Uint8Array.of(KIND_SEED), s.seed]
        : [Uint8Array.of(KIND_VECTOR), vectorToBytes(s.vector)];
    });
  }

  end(): void {
    if (this.fault) this.raise(this.fault.why);
  }

  private take(type: Section['type']): Decoded {
    const at = this.next;
    if (this.fault && this.fault.at === at) this.raise(this.fault.why);
    if (this.layout[at]?.type !== type) {
      // The engine reads the layout it gave the decoder: a mismatch is a bug here, not a peer's.
      throw new Error(`${this.what}: read a ${type} where the layout has section ${at}`);
    }
    this.next++;
    return this.sections[at];
  }

  private raise(why: string): never {
    throw new EngineError('malformed-payload', `${this.what} ${why}`);
  }
}
