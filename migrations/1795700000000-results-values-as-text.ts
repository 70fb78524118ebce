import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Released values move from a jsonb array of strings to one text column of comma-separated
 * decimal integers: a million-cell release stored as jsonb cost seconds to write and read.
 * Written by hand (a type change with the data kept), not generated.
 */
export class ResultsValuesAsText1795700000000 implements MigrationInterface {
  name = 'ResultsValuesAsText1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "results" ADD "noisy_values_text" text`);
    await queryRunner.query(
      `UPDATE "results" SET "noisy_values_text" = COALESCE((SELECT string_agg(v, ',' ORDER BY o) FROM jsonb_array_elements_text("noisy_values") WITH ORDINALITY AS t(v, o)), '')`,
    );
    await queryRunner.query(`ALTER TABLE "results" ALTER COLUMN "noisy_values_text" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "results" DROP COLUMN "noisy_values"`);
    await queryRunner.query(
      `ALTER TABLE "results" RENAME COLUMN "noisy_values_text" TO "noisy_values"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "results" ADD "noisy_values_json" jsonb`);
    await queryRunner.query(
      `UPDATE "results" SET "noisy_values_json" = to_jsonb(string_to_array("noisy_values", ','))`,
    );
    await queryRunner.query(`ALTER TABLE "results" ALTER COLUMN "noisy_values_json" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "results" DROP COLUMN "noisy_values"`);
    await queryRunner.query(
      `ALTER TABLE "results" RENAME COLUMN "noisy_values_json" TO "noisy_values"`,
    );
  }
}
