import { decodeElement, type GroupElement, POINT_BYTES } from './group.js';
import { PrivateJoinError } from './private-join-error.js';

/**
 * The four messages of the join (see `join-roles.ts` for who sends which to whom):
 * - `enrolled-once`: H(e)^a for the enrolment list, shuffled by its holder;
 * - `taps-once`: H(t)^b for the processor's tokens, in the processor's join order;
 * - `enrolled-twice`: H(e)^(ab), re-shuffled by the processor;
 * - `taps-twice`: H(t)^(ab), still in the processor's join order (never reordered).
 */
export type JoinMessageKind = 'enrolled-once' | 'taps-once' | 'enrolled-twice' | 'taps-twice';

const KIND_CODES: Readonly<Record<JoinMessageKind, number>> = {
  'enrolled-once': 1,
  'taps-once': 2,
  'enrolled-twice': 3,
  'taps-twice': 4,
};
const KINDS_BY_CODE = new Map(
  Object.entries(KIND_CODES).map(([k, c]) => [c, k as JoinMessageKind]),
);

/** Wire version of the private-join messages (byte 0). */
export const JOIN_MESSAGE_VERSION = 1;
/** version (1) ‖ kind (1) ‖ count (u32 big-endian) ‖ count × 32-byte canonical elements. */
export const JOIN_HEADER_BYTES = 6;

/**
 * The most bytes a join message can take when its list holds at most `capacity` elements (a
 * holder's list is padded to at most the join's capacity, and each answer keeps its length): what
 * a receiver may buffer of one join round before refusing the sender.
 */
export function maxJoinMessageBytes(capacity: number): number {
  return JOIN_HEADER_BYTES + POINT_BYTES * capacity;
}

/** A parsed, validated list: `elements[j]` decodes `encodings` bytes [32j, 32j + 32). */
export interface JoinList {
  readonly kind: JoinMessageKind;
  /** The canonical encodings, concatenated (what matching compares). */
  readonly encodings: Uint8Array;
  readonly elements: readonly GroupElement[];
}

/** Serialises a list of elements as one message (the elements' canonical encodings). */
export function encodeJoinMessage(
  kind: JoinMessageKind,
  elements: readonly GroupElement[],
): Uint8Array {
  const out = new Uint8Array(JOIN_HEADER_BYTES + POINT_BYTES * elements.length);
  out[0] = JOIN_MESSAGE_VERSION;
  out[1] = KIND_CODES[kind];
  new DataView(out.buffer).setUint32(2, elements.length);
  for (let j = 0; j < elements.length; j++) {
    out.set(elements[j], JOIN_HEADER_BYTES + POINT_BYTES * j);
  }
  return out;
}

/** The kind named in a message's header, without validating the body (for routing). */
export function joinMessageKind(bytes: Uint8Array): JoinMessageKind {
  if (bytes.length < JOIN_HEADER_BYTES || bytes[0] !== JOIN_MESSAGE_VERSION) {
    throw new PrivateJoinError(
      'malformed-message',
      `not a private-join v${JOIN_MESSAGE_VERSION} message (${bytes.length} bytes)`,
    );
  }
  const kind = KINDS_BY_CODE.get(bytes[1]);
  if (kind === undefined) {
    throw new PrivateJoinError('malformed-message', `unknown private-join kind ${bytes[1]}`);
  }
  return kind;
}

/**
 * A received list whose header, length and distinctness are checked, its elements not yet
 * decoded: `elementAt(list, j)` decodes (and checks) one, so a task can spread the decoding.
 */
export interface RawJoinList {
  readonly kind: JoinMessageKind;
  readonly count: number;
  /** The canonical encodings, concatenated (what matching compares). */
  readonly encodings: Uint8Array;
}

/**
 * Checks a message of the expected kind without decoding its elements: header, exact length,
 * and no encoding twice (the sender's tokens are distinct and blinding is a bijection, so a
 * repeat is a malformed or malicious list; ristretto255 encodings are canonical, so equal
 * elements have equal bytes).
 */
export function readJoinList(bytes: Uint8Array, expected: JoinMessageKind): RawJoinList {
  const kind = joinMessageKind(bytes);
  if (kind !== expected) {
    throw new PrivateJoinError('unexpected-message', `expected ${expected}, got ${kind}`);
  }
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(2);
  const body = bytes.length - JOIN_HEADER_BYTES;
  if (body !== count * POINT_BYTES) {
    throw new PrivateJoinError(
      'malformed-message',
      `${kind} announces ${count} elements (${count * POINT_BYTES} bytes) but carries ${body} bytes`,
    );
  }
  const encodings = bytes.slice(JOIN_HEADER_BYTES);
  const seen = new Set<string>();
  const view = Buffer.from(encodings.buffer, encodings.byteOffset, encodings.byteLength);
  for (let j = 0; j < count; j++) {
    const key = view.toString('latin1', POINT_BYTES * j, POINT_BYTES * (j + 1));
    if (seen.has(key)) {
      throw new PrivateJoinError('duplicate-point', `${kind} element ${j} repeats an earlier one`);
    }
    seen.add(key);
  }
  return { kind, count, encodings };
}

/** Decodes element j of a checked list (canonical, in the group, not the identity). */
export function elementAt(list: RawJoinList, j: number): GroupElement {
  const at = POINT_BYTES * j;
  return decodeElement(list.encodings.subarray(at, at + POINT_BYTES), `${list.kind} element ${j}`);
}

/** Parses and validates a whole message of the expected kind: `readJoinList`, then every element. */
export function parseJoinMessage(bytes: Uint8Array, expected: JoinMessageKind): JoinList {
  const list = readJoinList(bytes, expected);
  const elements = Array.from({ length: list.count }, (_, j) => elementAt(list, j));
  return { kind: list.kind, encodings: list.encodings, elements };
}
