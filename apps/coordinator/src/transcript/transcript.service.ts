import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { TranscriptEntryEntity } from '#concord/persistence';
import {
  appendEntry,
  type SessionCreatedBody,
  type TranscriptBodies,
  type TranscriptEntry,
  type TranscriptEntryKind,
} from '#concord/transcript';

interface Chain {
  head: TranscriptEntry | undefined;
  /** Entries computed but not yet written. */
  pending: TranscriptEntry[];
  /** The write in progress (writes of one session are sequential). */
  writing: Promise<void>;
  /** The first write failure, reported to whoever waits for the chain to be durable. */
  failure: unknown;
}

/**
 * Each session's hash-chained transcript. An entry is chained in memory the moment it is
 * appended (so relaying an envelope never waits for the database) and written behind, in order,
 * in batches; `flushed` and `entries` wait for every appended entry to be durable, and the
 * orchestrator waits for that before releasing results or completing a session.
 */
@Injectable()
export class TranscriptService {
  private readonly chains = new Map<string, Chain>();

  constructor(
    @InjectRepository(TranscriptEntryEntity)
    private readonly repo: Repository<TranscriptEntryEntity>,
  ) {}

  /** Starts a chain inside the caller's transaction (the session row is created with it). */
  async start(
    manager: EntityManager,
    sessionId: string,
    body: SessionCreatedBody,
    at: Date,
  ): Promise<TranscriptEntry> {
    const entry = appendEntry(sessionId, undefined, 'session.created', body, at);
    await manager.insert(TranscriptEntryEntity, toRow(sessionId, entry));
    this.chains.set(sessionId, {
      head: entry,
      pending: [],
      writing: Promise.resolve(),
      failure: undefined,
    });
    return entry;
  }

  /** Chains an entry now and schedules its write; resolves with the entry (not its write). */
  async append<K extends TranscriptEntryKind>(
    sessionId: string,
    kind: K,
    body: TranscriptBodies[K],
  ): Promise<TranscriptEntry> {
    let chain = this.chains.get(sessionId);
    if (!chain) {
      // A session this process did not start (e.g. aborted after a restart): load its head.
      const head = await this.loadHead(sessionId);
      chain = this.chains.get(sessionId) ?? {
        head,
        pending: [],
        writing: Promise.resolve(),
        failure: undefined,
      };
      this.chains.set(sessionId, chain);
    }
    const entry = appendEntry(sessionId, chain.head, kind, body, new Date()) as TranscriptEntry;
    chain.head = entry;
    chain.pending.push(entry);
    if (chain.pending.length === 1) this.scheduleWrite(sessionId, chain);
    return entry;
  }

  /** Resolves when every entry appended so far is written; throws if any write failed. */
  async flushed(sessionId: string): Promise<void> {
    const chain = this.chains.get(sessionId);
    if (!chain) return;
    for (;;) {
      const writing = chain.writing;
      await writing;
      if (chain.writing === writing && chain.pending.length === 0) break;
    }
    if (chain.failure) {
      throw chain.failure instanceof Error ? chain.failure : new Error('a transcript write failed');
    }
  }

  /** Waits for pending writes, then returns the whole chain in order. */
  async entries(sessionId: string): Promise<TranscriptEntry[]> {
    await this.flushed(sessionId);
    const rows = await this.repo.find({ where: { sessionId }, order: { seq: 'ASC' } });
    return rows.map(fromRow);
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
    const counts: Record<string, number> = Object.fromEntries(
      rows.map((r) => [r.kind, Number(r.n)]),
    );
    for (const e of this.chains.get(sessionId)?.pending ?? [])
      counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    return counts;
  }

  /** Forgets a finished session's chain (after its last write). */
  async release(sessionId: string): Promise<void> {
    await this.flushed(sessionId).catch(() => undefined);
    this.chains.delete(sessionId);
  }

  private scheduleWrite(sessionId: string, chain: Chain): void {
    chain.writing = chain.writing.then(async () => {
      // Let the current burst of appends join this batch.
      await new Promise((r) => setImmediate(r));
      const batch = chain.pending.splice(0, chain.pending.length);
      if (batch.length === 0) return;
      try {
        await this.repo.insert(batch.map((e) => toRow(sessionId, e)));
      } catch (e) {
        chain.failure ??= e;
      }
      if (chain.pending.length > 0) this.scheduleWrite(sessionId, chain);
    });
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
    body: r.body as never,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
