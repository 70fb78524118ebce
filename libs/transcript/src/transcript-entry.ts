import { canonicalBytes, taggedHash, toHex } from '#concord/crypto';
import type { TranscriptBodies, TranscriptEntryKind } from './entry-bodies.js';

/**
 * One entry of a session transcript. Entries form a hash chain: each names the hash of its
 * predecessor, so removing, reordering or editing any entry changes every later hash, and the
 * parties' signatures over the head seal the whole history. A discriminated union on `kind`:
 * narrowing the kind narrows the body.
 */
export type TranscriptEntry<K extends TranscriptEntryKind = TranscriptEntryKind> = {
  readonly [P in K]: {
    readonly seq: number;
    readonly kind: P;
    /** ISO-8601 time the coordinator recorded the entry (informational; not verifiable). */
    readonly at: string;
    readonly body: TranscriptBodies[P];
    readonly prevHash: string;
    readonly hash: string;
  };
}[K];

/** The hash every transcript starts from: binds the chain to its session. */
export function genesisHash(sessionId: string): string {
  return toHex(taggedHash('concord/transcript/genesis/v1', new TextEncoder().encode(sessionId)));
}

/** The hash of an entry: tagged SHA-256 over its canonical JSON without the `hash` field. */
export function entryHash(entry: {
  readonly seq: number;
  readonly kind: string;
  readonly at: string;
  readonly body: unknown;
  readonly prevHash: string;
}): string {
  const { seq, kind, at, body, prevHash } = entry;
  return toHex(
    taggedHash('concord/transcript/entry/v1', canonicalBytes({ seq, kind, at, body, prevHash })),
  );
}

/** Builds the next entry of a chain whose current head is `head` (or the genesis). */
export function appendEntry<K extends TranscriptEntryKind>(
  sessionId: string,
  head: TranscriptEntry | undefined,
  kind: K,
  body: TranscriptBodies[K],
  at: Date,
): TranscriptEntry<K> {
  const seq = head ? head.seq + 1 : 0;
  const prevHash = head ? head.hash : genesisHash(sessionId);
  const partial = { seq, kind, at: at.toISOString(), body, prevHash };
  return { ...partial, hash: entryHash(partial) };
}

/** Entries of one kind, typed. */
export function entriesOf<K extends TranscriptEntryKind>(
  entries: readonly TranscriptEntry[],
  kind: K,
): TranscriptEntry<K>[] {
  return entries.filter((e) => e.kind === kind) as unknown as TranscriptEntry<K>[];
}
