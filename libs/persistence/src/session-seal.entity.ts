import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { SessionEntity } from './session.entity.js';

/** A party's Ed25519 signature over the transcript head it verified. */
@Entity({ name: 'session_seals' })
export class SessionSealEntity {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @PrimaryColumn({ name: 'party_index', type: 'smallint' })
  partyIndex: number;

  @ManyToOne(() => SessionEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session: Relation<SessionEntity>;

  @Column({ name: 'agency_id', type: 'varchar', length: 63 })
  agencyId: string;

  @Column({ name: 'head_hash', type: 'char', length: 64 })
  headHash: string;

  @Column({ type: 'char', length: 128 })
  signature: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
