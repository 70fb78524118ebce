import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A privacy-budget charge or refund, in exact (ξ, ρ)-zCDP rationals. */
@Check('ck_ledger_entries_kind', `"kind" IN ('charge', 'refund')`)
@Entity({ name: 'ledger_entries' })
// Request ids are the analyst's: one charge and at most one refund per (analyst, request id).
@Index('uq_ledger_entries_analyst_request_kind', ['analyst', 'requestId', 'kind'], { unique: true })
@Index('ix_ledger_entries_bucket', ['scope', 'window'])
// Refunds find the charge by session.
@Index('ix_ledger_entries_session', ['sessionId'])
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 100 })
  requestId: string;

  @Column({ type: 'varchar', length: 8 })
  kind: string;

  /** Dataset scope, e.g. `demo-city/fares`. */
  @Column({ type: 'varchar', length: 200 })
  scope: string;

  /** Privacy-unit window bucket, e.g. `2026-03-10`. */
  @Column({ type: 'varchar', length: 40 })
  window: string;

  @Column({ type: 'varchar', length: 100 })
  analyst: string;

  @Column({ type: 'varchar', length: 160 })
  rho: string;

  /**
   * ξ of the charge, exact rational text: the distributed discrete Gaussian's correction
   * (ξ, ρ)-zCDP, "0" for Pólya releases. Rows from before ξ was charged read "0".
   */
  @Column({ type: 'varchar', length: 160, default: '0' })
  xi: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
