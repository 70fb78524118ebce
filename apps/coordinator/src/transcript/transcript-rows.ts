import { type TranscriptEntryEntity } from '#concord/persistence';
import type { TranscriptEntry, TranscriptEntryKind } from '#concord/transcript';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';

/** Explicit mapping between a transcript entry and its row. */
export function toRow(
  sessionId: string,
  e: TranscriptEntry,
): QueryDeepPartialEntity<TranscriptEntryEntity> {
  // jsonb bodies are plain JSON; TypeORM's deep-partial type cannot see through the union.
  const body = { ...e.body } as QueryDeepPartialEntity<TranscriptEntryEntity>['body'];
  return {
    sessionId,
    seq: e.seq,
    kind: e.kind,
    at: e.at,
    body,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** A stored entry as written (bodies were validated when the core produced them). */
export function fromRow(r: TranscriptEntryEntity): TranscriptEntry {
  return {
    seq: r.seq,
    kind: r.kind as TranscriptEntryKind,
    at: r.at,
    body: r.body as never,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
