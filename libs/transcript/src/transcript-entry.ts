import { canonicalBytes, taggedHash, toHex } from '#concord/crypto';

/**
 * One entry of a session transcript. Entries form a hash chain: each names the hash of its
 * predecessor, so removing, reordering or editing any entry changes every later hash, and the
 * parties' signatures over the head seal the whole history.
 */
export interface TranscriptEntry {
  readonly seq: number;
  readonly kind: TranscriptEntryKind;
  /** ISO-8601 time the coordinator recorded the entry (informational; not verifiable). */
  readonly at: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export type TranscriptEntryKind =
  | 'session.created'
  | 'party.accepted'
  | 'noise.committed'
  | 'envelope'
  /** JIFF mode: the data phase began (the JIFF computation was registered, after the commitments). */
  | 'jiff.started'
  /** JIFF mode: what the JIFF endpoint relayed from one party to another (count and set digest). */
  | 'jiff.relay'
  | 'party.result'
  | 'ledger.charged'
  | 'session.results'
  | 'session.aborted';

export const TRANSCRIPT_KINDS: readonly TranscriptEntryKind[] = [
  'session.created',
  'party.accepted',
  'noise.committed',
  'envelope',
  'jiff.started',
  'jiff.relay',
  'party.result',
  'ledger.charged',
  'session.results',
  'session.aborted',
];

/** The hash every transcript starts from: binds the chain to its session. */
export function genesisHash(sessionId: string): string {
  return toHex(taggedHash('concord/transcript/genesis/v1', new TextEncoder().encode(sessionId)));
}

/** The hash of an entry: tagged SHA-256 over its canonical JSON without the `hash` field. */
export function entryHash(entry: Omit<TranscriptEntry, 'hash'>): string {
  const { seq, kind, at, body, prevHash } = entry;
  return toHex(
    taggedHash('concord/transcript/entry/v1', canonicalBytes({ seq, kind, at, body, prevHash })),
  );
}

/** Builds the next entry of a chain whose current head is `head` (or the genesis). */
export function appendEntry(
  sessionId: string,
  head: TranscriptEntry | undefined,
  kind: TranscriptEntryKind,
  body: Record<string, unknown>,
  at: Date,
): TranscriptEntry {
  const seq = head ? head.seq + 1 : 0;
  const prevHash = head ? head.hash : genesisHash(sessionId);
  const partial = { seq, kind, at: at.toISOString(), body, prevHash };
  return { ...partial, hash: entryHash(partial) };
}
