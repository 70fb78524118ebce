import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Released values are stored uncompressed: PostgreSQL's default TOAST compression (pglz) of a
 * million-cell release (8 MB of decimal text) took about 290 ms to save 32% of the space, on
 * PostgreSQL 15 and on PGlite alike; uncompressed it takes about 50 ms (PostgreSQL) to 90 ms
 * (PGlite). Rows written before keep their compression. Written by hand: TypeORM does not model
 * column storage, so generated migrations never touch it.
 */
export class ResultsValuesUncompressed1795708746644 implements MigrationInterface {
  name = 'ResultsValuesUncompressed1795708746644';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "results" ALTER COLUMN "noisy_values" SET STORAGE EXTERNAL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "results" ALTER COLUMN "noisy_values" SET STORAGE EXTENDED`,
    );
  }
}
