import { publishedVector } from '#concord/engine';
import { fieldById, vectorToBytes } from '#concord/field';
import {
  entryHash,
  releaseDigestOfBytes,
  releaseDigestOfLimbs,
  type TranscriptEntry,
} from '#concord/transcript';
import { CoordinatorError } from '../../common/coordinator-error.js';
import { servedOutputs } from '../served-release.js';
import type { Session, StoredOutput } from '../session.js';
import type { SessionSeal } from '../sessions.service.js';

/**
 * Refuses to serve a completed report's stored release unless it is the one its agencies sealed:
 * the transcript's release entry hashes to what it claims and is the session's head, each of the
 * three parties' seals (their signatures were verified when stored) names that head, and the
 * stored values, units, intervals and levels hash to the release digest the entry carries. A
 * number changed in the database since is caught here, as `GET /sessions/:id/verification` (the
 * full offline verifier, signatures included) would catch it, and nothing is sent.
 *
 * A version 2 release digest is taken over the stored limbs (the text served is written from
 * them); version 1 over the values' text as bytes, unsplit: the text `GET /reports/:id` splits and
 * the export joins again is this same text, so this checks exactly the same bytes without building
 * and joining a million strings per download.
 */
export function assertSealedRelease(
  session: Session,
  stored: readonly StoredOutput[],
  released: TranscriptEntry<'session.results'> | undefined,
  seals: readonly SessionSeal[],
): void {
  const problem = releaseProblem(session, stored, released, seals);
  if (problem)
    throw new CoordinatorError(
      'not-released',
      `report ${session.id}: ${problem}; it is not served (GET /sessions/${session.id}/verification says more)`,
    );
}

function releaseProblem(
  session: Session,
  stored: readonly StoredOutput[],
  released: TranscriptEntry<'session.results'> | undefined,
  seals: readonly SessionSeal[],
): string | undefined {
  if (!released) return 'its transcript has no release entry';
  if (entryHash(released) !== released.hash || released.hash !== session.transcriptHead)
    return 'its release entry is not the transcript head the agencies sealed';
  const sealedBy = [1, 2, 3].filter((p) =>
    seals.some((s) => s.party === p && s.headHash === released.hash),
  );
  if (sealedBy.length !== 3) return `${sealedBy.length} of the three parties sealed its release`;
  const served = servedOutputs(session, stored);
  const outputs = served.map((o) => ({
    name: o.name,
    unit: o.unit,
    intervalHalfWidth: o.intervalHalfWidth.toString(),
    confidenceLevel: o.confidenceLevel,
  }));
  const digest =
    released.body.releaseDigestVersion === 2
      ? releaseDigestOfLimbs(
          session.id,
          session.plan.field,
          outputs.map((o, i) => ({ ...o, cells: served[i].values.length })),
          served.map((o) => limbBytesOf(session.plan.field, o)),
        )
      : releaseDigestOfBytes(
          session.id,
          outputs,
          served.map((o) => o.values.bytes),
        );
  if (digest !== released.body.releaseDigest)
    return 'its stored values, units, intervals or levels do not hash to the release digest the agencies sealed';
  return undefined;
}

/**
 * The limbs a version 2 digest covers: as stored, or, for a row stored as text, the text parsed
 * strictly back into the plan's field. Limbs of another field, or text that spells no vector of
 * it, are hashed as nothing, so they never match.
 */
function limbBytesOf(field: string, o: StoredOutput): Uint8Array {
  if (o.limbs) return o.limbs.field === field ? o.limbs.bytes : new Uint8Array(0);
  const vector = publishedVector(
    fieldById(field),
    o.values.bytes.toString('utf8'),
    o.values.length,
  );
  return vector ? vectorToBytes(vector) : new Uint8Array(0);
}
