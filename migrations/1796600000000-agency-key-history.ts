import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key rotation: an agency has a history of identity keys (epochs), not one. Each agency row keeps
 * its newest key in `identity_public_key` and gains `key_history`, the consortium file's `keys`
 * as JSON. Existing rows become a history of one epoch: their key, valid from the beginning.
 */
export class AgencyKeyHistory1796600000000 implements MigrationInterface {
  name = 'AgencyKeyHistory1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "agencies" ADD "key_history" jsonb`);
    await queryRunner.query(
      `UPDATE "agencies" SET "key_history" = jsonb_build_array(jsonb_build_object('epoch', 0, 'publicKey', encode("identity_public_key", 'hex'), 'validFrom', NULL))`,
    );
    await queryRunner.query(`ALTER TABLE "agencies" ALTER COLUMN "key_history" SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "agencies" DROP COLUMN "key_history"`);
  }
}
