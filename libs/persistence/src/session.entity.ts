import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { ProtocolVersionEntity } from './protocol-version.entity.js';

/** One joint computation. `state` follows the state machine in docs/data-model.md. */
@Check(
  'ck_sessions_state',
  `"state" IN ('created', 'inviting', 'running', 'sealing', 'completed', 'aborted')`,
)
@Entity({ name: 'sessions' })
@Index('ix_sessions_state', ['state'])
@Index('ix_sessions_queue', ['createdAt'], { where: '"admitted_at" IS NULL' })
// Idempotency keys belong to the analyst who chose them: two analysts may use the same id.
@Index('uq_sessions_requested_by_request_id', ['requestedBy', 'requestId'], { unique: true })
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => ProtocolVersionEntity, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'protocol_version_id' })
  protocolVersion: Relation<ProtocolVersionEntity>;

  @Column({ name: 'protocol_version_id', type: 'uuid' })
  protocolVersionId: string;

  @Column({ type: 'varchar', length: 16 })
  state: string;

  @Column({ type: 'jsonb' })
  parameters: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  plan: Record<string, unknown>;

  @Column({ name: 'plan_hash', type: 'char', length: 64 })
  planHash: string;

  /** zCDP budget of the request, an exact rational "n/d". */
  @Column({ name: 'budget_rho', type: 'varchar', length: 160 })
  budgetRho: string;

  /** The analyst's idempotency key (unique per analyst, with `requested_by`). */
  @Column({ name: 'request_id', type: 'varchar', length: 100 })
  requestId: string;

  @Column({ name: 'requested_by', type: 'varchar', length: 100 })
  requestedBy: string;

  /**
   * SHA-256 (hex) of the canonical request (protocol, resolved version, parameters, budget): a
   * repeated request id is the same request only if this matches. Null on rows created before
   * fingerprints were recorded; such an id cannot be repeated.
   */
  @Column({ name: 'request_fingerprint', type: 'char', length: 64, nullable: true })
  requestFingerprint: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'transcript_head', type: 'char', length: 64, nullable: true })
  transcriptHead: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  /** When the session left the queue; its timeout counts from here. Null while queued. */
  @Column({ name: 'admitted_at', type: 'timestamptz', nullable: true })
  admittedAt: Date | null;

  /** The coordinator replica running the session, while `lease_until` holds. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  owner: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;
}
