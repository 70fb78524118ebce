import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admission and ownership. A session waits in `created` until it is admitted (`admitted_at`,
 * from which its timeout counts); an admitted, unfinished session is run by the coordinator
 * replica named in `owner` while its lease (`lease_until`, renewed by heartbeats) holds, and by
 * whichever replica claims it once the lease has lapsed. Sessions from before were all started
 * at once: they count as admitted at creation, with no owner (any replica may resume them).
 */
export class SessionAdmission1796500000000 implements MigrationInterface {
  name = 'SessionAdmission1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" ADD "admitted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "owner" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "lease_until" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "sessions" SET "admitted_at" = "created_at"`);
    // The queue: unadmitted sessions in arrival order (a partial index stays as small as the queue).
    await queryRunner.query(
      `CREATE INDEX "ix_sessions_queue" ON "sessions" ("created_at") WHERE "admitted_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_queue"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "lease_until"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "owner"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "admitted_at"`);
  }
}
