import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { TranscriptEntryEntity } from '#concord/persistence';
import { appendEntry, type SessionCreatedBody, type TranscriptEntry } from '#concord/transcript';
import { fromRow, toRow } from './transcript-rows.js';

/**
 * Reading sessions' hash-chained transcripts, and writing their first entry. Every later entry is
 * chained by the session core and written by the session store, write-ahead, before whatever it
 * records takes effect.
 */
@Injectable()
export class TranscriptService {
  constructor(
    @InjectRepository(TranscriptEntryEntity)
    private readonly repo: Repository<TranscriptEntryEntity>,
  ) {}

  /** The genesis entry, inside the caller's transaction (the session row is created with it). */
  async start(
    manager: EntityManager,
    sessionId: string,
    body: SessionCreatedBody,
    at: Date,
  ): Promise<TranscriptEntry> {
    const entry = appendEntry(sessionId, undefined, 'session.created', body, at) as TranscriptEntry;
    await manager.insert(TranscriptEntryEntity, toRow(sessionId, entry));
    return entry;
  }

  /** The whole durable chain, in order. */
  async entries(sessionId: string): Promise<TranscriptEntry[]> {
    const rows = await this.repo.find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(fromRow);
  }

  /** A completed session's release entry (the head its agencies sealed), if it has one. */
  async releaseEntry(sessionId: string): Promise<TranscriptEntry<'session.results'> | undefined> {
    const row = await this.repo.findOne({ where: { sessionId, kind: 'session.results' } });
    return row ? (fromRow(row) as TranscriptEntry<'session.results'>) : undefined;
  }

  /** How many entries of each kind a session's transcript holds so far (its progress). */
  async counts(sessionId: string): Promise<Record<string, number>> {
    const rows = await this.repo
      .createQueryBuilder('e')
      .select('e.kind', 'kind')
      .addSelect('COUNT(*)', 'n')
      .where('e.session_id = :sessionId', { sessionId })
      .groupBy('e.kind')
      .getRawMany<{ kind: string; n: string }>();
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  }
}
