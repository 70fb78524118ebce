import { entryHash, genesisHash, type TranscriptEntry } from './transcript-entry.js';

export interface ChainProblem {
  readonly seq: number;
  readonly reason: string;
}

/**
 * Checks that `entries` form an unbroken chain from the session's genesis: consecutive sequence
 * numbers, each entry pointing at its predecessor's hash, each hash recomputing. Returns the
 * first problem, or undefined when the chain holds.
 */
export function verifyChain(
  sessionId: string,
  entries: readonly TranscriptEntry[],
): ChainProblem | undefined {
  let prevHash = genesisHash(sessionId);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.seq !== i) return { seq: e.seq, reason: `expected sequence number ${i}` };
    if (e.prevHash !== prevHash)
      return { seq: e.seq, reason: 'does not point at the previous entry' };
    if (entryHash(e) !== e.hash) return { seq: e.seq, reason: 'hash does not match its content' };
    prevHash = e.hash;
  }
  return undefined;
}
