import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { SessionEntity } from './session.entity.js';

/**
 * One released output of a session: noisy values only (never an unnoised number), with the
 * exact interval half-width of the noise and the noise parameters that produced it.
 */
@Entity({ name: 'results' })
@Index('uq_results_session_output', ['sessionId', 'outputName'], { unique: true })
export class ResultEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => SessionEntity, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session: Relation<SessionEntity>;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @Column({ name: 'output_name', type: 'varchar', length: 100 })
  outputName: string;

  @Column({ type: 'varchar', length: 32 })
  unit: string;

  /**
   * Noisy cell values: comma-separated decimal integers, in the plan's cell order. Stored
   * uncompressed (STORAGE EXTERNAL, set by a migration): compressing megabytes of digits cost
   * more time than the space was worth.
   */
  @Column({ name: 'noisy_values', type: 'text' })
  noisyValues: string;

  @Column({ name: 'interval_half_width', type: 'varchar', length: 40 })
  intervalHalfWidth: string;

  @Column({ name: 'confidence_level', type: 'varchar', length: 8 })
  confidenceLevel: string;

  @Column({ type: 'jsonb' })
  noise: Record<string, unknown>;
}
