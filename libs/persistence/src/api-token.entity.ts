import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An API credential. Only the SHA-256 of the token is stored; the token is shown once. */
@Entity({ name: 'api_tokens' })
@Check('ck_api_tokens_role', `"role" IN ('admin', 'analyst', 'auditor')`)
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Who holds it: the analyst or auditor name the ledger and transcripts record. */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: string;

  @Index('uq_api_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** After this instant the token is refused (401); every issued token has one. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** When the token last authenticated a request (to the minute: written at most once a minute). */
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
