import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Released values are stored as the opened vector's field limbs (`bytea`, uncompressed): 4 bytes
 * a value in a one-limb field instead of about 8 of decimal text, with nothing to format or parse
 * between the wire and the row. Rows written before keep their text; exactly one form per row.
 * Written by hand: TypeORM does not model column storage.
 */
export class ResultsValuesAsLimbs1796800000000 implements MigrationInterface {
  name = 'ResultsValuesAsLimbs1796800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "results" ADD "noisy_limbs" bytea`);
    await queryRunner.query(`ALTER TABLE "results" ADD "value_field" character varying(16)`);
    await queryRunner.query(
      `ALTER TABLE "results" ALTER COLUMN "noisy_limbs" SET STORAGE EXTERNAL`,
    );
    await queryRunner.query(`ALTER TABLE "results" ALTER COLUMN "noisy_values" DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "results" ADD CONSTRAINT "chk_results_value_form" CHECK (("noisy_limbs" IS NULL) <> ("noisy_values" IS NULL) AND ("noisy_limbs" IS NULL) = ("value_field" IS NULL))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Limbs cannot be turned back into decimals in SQL (a multi-limb value needs the Chinese
    // remainder theorem): refuse rather than drop released values.
    const rows = (await queryRunner.query(
      `SELECT count(*)::int AS count FROM "results" WHERE "noisy_limbs" IS NOT NULL`,
    )) as { count: number }[];
    const count = rows[0].count;
    if (count > 0)
      throw new Error(
        `${count} released outputs are stored as field limbs, which the previous schema cannot hold; export them before reverting`,
      );
    await queryRunner.query(`ALTER TABLE "results" DROP CONSTRAINT "chk_results_value_form"`);
    await queryRunner.query(`ALTER TABLE "results" ALTER COLUMN "noisy_values" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "results" DROP COLUMN "value_field"`);
    await queryRunner.query(`ALTER TABLE "results" DROP COLUMN "noisy_limbs"`);
  }
}
