import type { TranscriptEntry } from '#concord/transcript';

/**
 * "Was anything opened?", answered the same conservative way by every ledger, the session core
 * and the auditor: yes once the session's data phase has begun, which is when all three noise
 * commitments are recorded. The coordinator writes the third commitment before it sends the
 * go-ahead that lets parties deal their noise and inputs, so before that point no noise sharing
 * has left any party and no opening can have happened anywhere; after it, one may have (an
 * opening needs no action of a party whose noise has already left it, see docs/privacy.md).
 *
 * An agency node answers the same question from its side: has it received the go-ahead (it
 * records that in its ledger before dealing anything). It received the go-ahead only if the
 * coordinator's transcript already says the data phase started, so the two never disagree in the
 * direction that would refund an opened release.
 */
export function dataPhaseStarted(entries: readonly Pick<TranscriptEntry, 'kind'>[]): boolean {
  let commitments = 0;
  for (const e of entries) if (e.kind === 'noise.committed' && ++commitments === 3) return true;
  return false;
}
