import {
  Check,
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
@Check(
  'chk_results_value_form',
  `("noisy_limbs" IS NULL) <> ("noisy_values" IS NULL) AND ("noisy_limbs" IS NULL) = ("value_field" IS NULL)`,
)
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
   * Noisy cell values, in the plan's cell order, as the opened vector's canonical limbs in the
   * field `valueField` names (little-endian uint32, limb-major; 4 bytes a value in a one-limb
   * field): exactly the bytes the result digest covers. Stored uncompressed (STORAGE EXTERNAL, set
   * by a migration), like the text before it.
   */
  @Column({ name: 'noisy_limbs', type: 'bytea', nullable: true })
  noisyLimbs: Buffer | null;

  /** The field of `noisyLimbs` (`rns31x1` …); null for a release stored as text. */
  @Column({ name: 'value_field', type: 'varchar', length: 16, nullable: true })
  valueField: string | null;

  /**
   * The values of releases stored before binary results: comma-separated decimal integers
   * (uncompressed). Exactly one of this and `noisyLimbs` is set.
   */
  @Column({ name: 'noisy_values', type: 'text', nullable: true })
  noisyValues: string | null;

  @Column({ name: 'interval_half_width', type: 'varchar', length: 40 })
  intervalHalfWidth: string;

  @Column({ name: 'confidence_level', type: 'varchar', length: 8 })
  confidenceLevel: string;

  @Column({ type: 'jsonb' })
  noise: Record<string, unknown>;
}
