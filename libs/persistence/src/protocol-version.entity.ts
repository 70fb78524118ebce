import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A catalogue protocol at one version, identified by the canonical hash agencies approve. */
@Entity({ name: 'protocol_versions' })
@Index('uq_protocol_versions_id_version', ['protocolId', 'version'], { unique: true })
export class ProtocolVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'protocol_id', type: 'varchar', length: 100 })
  protocolId: string;

  @Column({ type: 'varchar', length: 32 })
  version: string;

  @Index('uq_protocol_versions_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  hash: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'jsonb' })
  definition: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
