import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  PersistOp,
  SealRecord,
  SessionRecord,
  SessionRowState,
  StoredSession,
} from '#concord/coordination';
import {
  ResultEntity,
  SessionEntity,
  SessionSealEntity,
  TranscriptEntryEntity,
} from '#concord/persistence';
import type { SessionPlan } from '#concord/protocol';
import type { PartyNumber } from '#concord/transcript';
import { StaleSessionError } from '../database/database-errors.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { SessionLeases } from './session-leases.js';
import { outputToEntity } from './session.mapper.js';
import { fromRow, toRow } from '../transcript/transcript-rows.js';
import { SessionChanges } from './session-changes.js';

/**
 * The session core's durable record: named operations over sessions, their transcripts, results,
 * seals and ledger refunds. `persist` writes one core step's changes in one transaction, and its
 * transitions are compare-and-set: a row that is not in the state the core expects fails the
 * whole transaction (`StaleSessionError`) instead of being overwritten.
 */
@Injectable()
export class SessionStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly ledger: LedgerService,
    private readonly leases: SessionLeases,
    private readonly metrics: CoordinatorMetrics,
    private readonly changes: SessionChanges,
  ) {}

  /**
   * Writes one step of a session this replica owns. The lease is checked (and renewed) first, in
   * the same transaction: a replica that lost the session writes nothing (`LeaseLostError`).
   */
  async persist(sessionId: string, ops: readonly PersistOp[]): Promise<void> {
    const started = performance.now();
    let refund: string | undefined;
    try {
      await this.write(sessionId, ops, (code) => (refund = code));
    } catch (e) {
      this.metrics.transcriptWritten((performance.now() - started) / 1000, 'failed');
      throw e;
    }
    this.metrics.transcriptWritten((performance.now() - started) / 1000, 'ok');
    // Counted once committed: a rolled-back (and retried) write must not count twice.
    if (refund !== undefined) this.metrics.ledgerRefundDecided(refund);
    const moved = ops.filter((o) => o.op === 'transition').at(-1);
    if (moved) this.changes.changed(sessionId, moved.to);
  }

  private async write(
    sessionId: string,
    ops: readonly PersistOp[],
    refunded: (code: string) => void,
  ): Promise<void> {
    await this.db.transaction(async (m) => {
      await this.leases.fence(m, sessionId);
      const entries = ops.flatMap((o) => (o.op === 'append' ? [toRow(sessionId, o.entry)] : []));
      // Entries first, in one statement: the ledger's refund check reads them.
      if (entries.length > 0) await m.insert(TranscriptEntryEntity, entries);
      for (const op of ops) {
        switch (op.op) {
          case 'append':
            break;
          case 'transition':
            await transition(m, sessionId, op);
            break;
          case 'release':
            await m.insert(
              ResultEntity,
              op.outputs.map((o) => outputToEntity(sessionId, o)),
            );
            break;
          case 'seal':
            await m.insert(SessionSealEntity, sealRow(sessionId, op.seal));
            break;
          case 'refund': {
            // The ledger decides by the same rule from the transcript written just above; a
            // different verdict means the core and the ledger disagree, which must not pass.
            const decision = await this.ledger.refund(m, { sessionId });
            if (!decision.refund && decision.code !== 'already-refunded')
              throw new CoordinatorError(
                'conflict',
                `the ledger refused to refund session ${sessionId} (${decision.code})`,
              );
            refunded(decision.code);
            break;
          }
        }
      }
    });
  }

  /** Everything the core needs to rebuild a session, or undefined for an unknown id. */
  async load(id: string): Promise<
    | {
        record: SessionRecord;
        stored: StoredSession;
        owner: string | null;
        /** When the analyst's request was recorded (epoch ms): time to result counts from it. */
        requestedAt: number;
      }
    | undefined
  > {
    const row = await this.db.getRepository(SessionEntity).findOneBy({ id });
    if (!row) return undefined;
    const [entries, seals] = await Promise.all([
      this.db
        .getRepository(TranscriptEntryEntity)
        .find({ where: { sessionId: id }, order: { seq: 'ASC' } }),
      this.db
        .getRepository(SessionSealEntity)
        .find({ where: { sessionId: id }, order: { partyIndex: 'ASC' } }),
    ]);
    return {
      owner: row.owner,
      requestedAt: row.createdAt.getTime(),
      record: {
        id,
        plan: row.plan as unknown as SessionPlan,
        planHash: row.planHash,
        requestId: row.requestId,
        requestedBy: row.requestedBy,
        startedAt: (row.admittedAt ?? row.createdAt).getTime(),
      },
      stored: {
        rowState: row.state as SessionRowState,
        entries: entries.map(fromRow),
        seals: seals.map((s) => ({
          party: s.partyIndex as PartyNumber,
          agencyId: s.agencyId,
          headHash: s.headHash,
          signature: s.signature,
        })),
      },
    };
  }
}

async function transition(
  m: EntityManager,
  sessionId: string,
  op: Extract<PersistOp, { op: 'transition' }>,
): Promise<void> {
  const result = await m
    .createQueryBuilder()
    .update(SessionEntity)
    .set({
      state: op.to,
      ...(op.error ? { errorCode: op.error.code, errorMessage: op.error.message } : {}),
      ...(op.transcriptHead ? { transcriptHead: op.transcriptHead } : {}),
      ...(op.completedAt !== undefined ? { completedAt: new Date(op.completedAt) } : {}),
    })
    .where('id = :id AND state = :from', { id: sessionId, from: op.from })
    .execute();
  if (result.affected !== 1) throw new StaleSessionError(sessionId, op.from);
}

function sealRow(sessionId: string, seal: SealRecord) {
  return {
    sessionId,
    partyIndex: seal.party,
    agencyId: seal.agencyId,
    headHash: seal.headHash,
    signature: seal.signature,
  };
}
