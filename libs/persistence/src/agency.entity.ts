import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A registered agency and its pinned Ed25519 identity keys: `identityPublicKey` is the newest
 * epoch's, `keyHistory` every epoch with its validity (the consortium file's `keys`, as JSON).
 */
@Check('ck_agencies_role', `"role" IN ('transit', 'payments', 'planning')`)
@Check('ck_agencies_party_index', `"party_index" BETWEEN 1 AND 3`)
@Entity({ name: 'agencies' })
export class AgencyEntity {
  @PrimaryColumn({ type: 'varchar', length: 63 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  role: string;

  @Column({ name: 'party_index', type: 'smallint', unique: true })
  partyIndex: number;

  @Column({ name: 'identity_public_key', type: 'bytea' })
  identityPublicKey: Buffer;

  /** `[{ epoch, publicKey, validFrom, supersededAt?, revokedAt?, revocationReason? }]`, epoch 0 first. */
  @Column({ name: 'key_history', type: 'jsonb' })
  keyHistory: unknown[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
