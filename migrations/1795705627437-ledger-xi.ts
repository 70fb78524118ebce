import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ledger entries record ξ next to ρ: the (ξ, ρ)-zCDP charge of a distributed discrete Gaussian. */
export class LedgerXi1795705627437 implements MigrationInterface {
  name = 'LedgerXi1795705627437';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "ledger_entries" ADD "xi" character varying(160) NOT NULL DEFAULT '0'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ledger_entries" DROP COLUMN "xi"`);
  }
}
