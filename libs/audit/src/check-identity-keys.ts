import { type Consortium, epochValidAt, keyByEpoch } from '#concord/consortium';
import { entriesOf, type TranscriptEntry } from '#concord/transcript';
import type { CheckList } from './audit-report.js';

/**
 * Which key each party signed with, and whether it was in force. A party's acceptance names the
 * epoch of its identity key (absent: epoch 0); that key signs the acceptance and the seal. It must
 * be valid in the auditor's consortium file when the acceptance was recorded (the entry's `at`):
 * started, not superseded by a rotation, not revoked. A key revoked at or before the release was
 * compromised before the seals that sign it, so it fails too. Returns each accepting party's key
 * of the epoch it named (for the signature checks), whatever the verdict here.
 */
export function checkIdentityKeys(
  entries: readonly TranscriptEntry[],
  consortium: Consortium,
  checks: CheckList,
): Map<number, Uint8Array> {
  const keys = new Map<number, Uint8Array>();
  const used: string[] = [];
  let failure: { message: string; seq: number } | undefined;
  const release = entriesOf(entries, 'session.results')[0] as
    TranscriptEntry<'session.results'> | undefined;
  for (const e of entriesOf(entries, 'party.accepted')) {
    const { party } = e.body;
    if (keys.has(party)) continue; // a second acceptance fails the session-keys check
    const epoch = e.body.keyEpoch ?? 0;
    const key = keyByEpoch(consortium, party, epoch);
    if (key) keys.set(party, key.publicKey);
    used.push(`party ${party} epoch ${epoch}`);
    if (failure) continue;
    const at = Date.parse(e.at);
    if (!Number.isFinite(at)) {
      failure = { message: `entry ${e.seq} has no readable time`, seq: e.seq };
      continue;
    }
    const valid = epochValidAt(consortium, party, epoch, at);
    if (!valid.ok) {
      failure = {
        message: `party ${party} accepted at ${e.at} with a key not in force then: ${valid.refusal.message}`,
        seq: e.seq,
      };
    } else if (
      release &&
      valid.key.revokedAt !== undefined &&
      Date.parse(release.at) >= valid.key.revokedAt
    ) {
      failure = {
        message: `party ${party}'s key epoch ${epoch} is revoked since ${new Date(valid.key.revokedAt).toISOString()}, before the release (${release.at}) its seal signs`,
        seq: release.seq,
      };
    }
  }
  checks.add(
    'identity keys',
    failure?.message,
    used.length === 0
      ? 'no party accepted, so no identity key signed'
      : `${used.join(', ')}: each key in force in the consortium file when its acceptance was recorded`,
    failure?.seq,
  );
  return keys;
}
