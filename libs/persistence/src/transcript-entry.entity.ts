import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { SessionEntity } from './session.entity.js';

/** One link of a session's hash-chained transcript (see #concord/transcript). */
@Entity({ name: 'transcript_entries' })
export class TranscriptEntryEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @PrimaryColumn({ type: 'integer' })
  seq: number;

  @ManyToOne(() => SessionEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session: Relation<SessionEntity>;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** The exact ISO-8601 string that was hashed. */
  @Column({ type: 'varchar', length: 32 })
  at: string;

  @Column({ type: 'jsonb' })
  body: Record<string, unknown>;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
