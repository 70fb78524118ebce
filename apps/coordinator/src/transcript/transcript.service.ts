import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { TranscriptEntryEntity } from '#concord/persistence';
import { appendEntry, type TranscriptEntry, type TranscriptEntryKind } from '#concord/transcript';

/**
 * Appends to each session's hash-chained transcript. Appends to one session are serialised
 * (each entry names its predecessor's hash); the chain's head is cached while the session runs.
 */
@Injectable()
export class TranscriptService {
  private readonly heads = new Map<string, TranscriptEntry>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    @InjectRepository(TranscriptEntryEntity)
    private readonly repo: Repository<TranscriptEntryEntity>,
  ) {}

  /** Starts a chain inside the caller's transaction (the session row is created with it). */
  async start(
    manager: EntityManager,
    sessionId: string,
    body: Record<string, unknown>,
    at: Date,
  ): Promise<TranscriptEntry> {
    const entry = appendEntry(sessionId, undefined, 'session.created', body, at);
    await manager.insert(TranscriptEntryEntity, toRow(sessionId, entry));
    this.heads.set(sessionId, entry);
    return entry;
  }

  append(
    sessionId: string,
    kind: TranscriptEntryKind,
    body: Record<string, unknown>,
  ): Promise<TranscriptEntry> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const head = this.heads.get(sessionId) ?? (await this.loadHead(sessionId));
      const entry = appendEntry(sessionId, head, kind, body, new Date());
      await this.repo.insert(toRow(sessionId, entry));
      this.heads.set(sessionId, entry);
      return entry;
    });
    // Keep the queue alive past a failed append; the caller sees the failure.
    this.queues.set(
      sessionId,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Waits for pending appends, then returns the whole chain in order. */
  async entries(sessionId: string): Promise<TranscriptEntry[]> {
    await this.queues.get(sessionId);
    const rows = await this.repo.find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(fromRow);
  }

  /** Forgets the cached head of a finished session. */
  release(sessionId: string): void {
    this.heads.delete(sessionId);
    this.queues.delete(sessionId);
  }

  private async loadHead(sessionId: string): Promise<TranscriptEntry | undefined> {
    const row = await this.repo.findOne({ where: { sessionId }, order: { seq: 'DESC' } });
    return row ? fromRow(row) : undefined;
  }
}

function toRow(
  sessionId: string,
  e: TranscriptEntry,
): QueryDeepPartialEntity<TranscriptEntryEntity> {
  // jsonb bodies are plain JSON; TypeORM's deep-partial type cannot see through `unknown`.
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

export function fromRow(r: TranscriptEntryEntity): TranscriptEntry {
  return {
    seq: r.seq,
    kind: r.kind as TranscriptEntryKind,
    at: r.at,
    body: r.body,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
