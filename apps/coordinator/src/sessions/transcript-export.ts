import { EXPORT_FORMAT, type ExportedAbort, type TranscriptExportFile } from '#concord/audit';
import { entriesOf, type TranscriptEntry } from '#concord/transcript';
import { exportedRelease } from './served-release.js';
import type { Session, StoredOutput } from './session.js';
import type { SessionSeal } from './sessions.service.js';

/** The export auditors verify offline (docs/security.md, "Auditing a session"). */
export interface TranscriptExport extends TranscriptExportFile {
  readonly seals: readonly SessionSeal[];
  /** Informational: auditors verify against their own pinned consortium file. */
  readonly agencies: readonly {
    readonly id: string;
    readonly party: number;
    readonly identityKey: string;
  }[];
}

/**
 * A session's export: its chain, plan and seals, and what the coordinator serves about its end:
 * the release `GET /reports/:id` publishes, or the abort it reports. Both are taken from what is
 * stored, not from the transcript, so the verifier compares the served numbers with the sealed
 * release digest and the reported abort with the recorded one.
 */
export function buildTranscriptExport(input: {
  readonly session: Session;
  readonly entries: readonly TranscriptEntry[];
  readonly seals: readonly SessionSeal[];
  readonly stored: readonly StoredOutput[];
  readonly agencies: readonly {
    readonly id: string;
    readonly party: number;
    readonly identityKey: Uint8Array;
  }[];
}): TranscriptExport {
  const { session, entries } = input;
  return {
    format: EXPORT_FORMAT,
    sessionId: session.id,
    state: session.state,
    protocol: {
      id: session.protocol.id,
      version: session.protocol.version,
      hash: session.protocol.hash,
    },
    planHash: session.planHash,
    plan: session.plan,
    entries,
    seals: input.seals,
    release: exportedRelease(session, input.stored),
    abort: abortOf(session, entries),
    agencies: input.agencies.map((a) => ({
      id: a.id,
      party: a.party,
      identityKey: Buffer.from(a.identityKey).toString('hex'),
    })),
  };
}

/**
 * The abort the coordinator reports (the report's `error`) and who ended the session, which only
 * the transcript's abort entry records; a session aborted without one (the coordinator stopped it
 * at a restart) was ended by the coordinator.
 */
function abortOf(session: Session, entries: readonly TranscriptEntry[]): ExportedAbort | null {
  if (session.state !== 'aborted' || !session.error) return null;
  const recorded = entriesOf(entries, 'session.aborted').at(-1);
  return {
    code: session.error.code,
    message: session.error.message,
    by: recorded?.body.by ?? 'coordinator',
  };
}
