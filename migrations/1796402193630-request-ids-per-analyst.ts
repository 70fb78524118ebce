import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Request ids are idempotency keys chosen by each analyst: unique per (analyst, request id) on
 * sessions and per (analyst, request id, kind) on ledger entries, no longer globally. Sessions
 * record a fingerprint of the canonical request, so a repeated id with another request is a
 * conflict; rows from before have none. Ledger entries are indexed by session for refunds.
 *
 * `down` restores the global indexes: it fails if two analysts have used the same request id
 * since, which is the point (the old schema cannot hold them).
 */
export class RequestIdsPerAnalyst1796402193630 implements MigrationInterface {
  name = 'RequestIdsPerAnalyst1796402193630';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_ledger_entries_request_kind"`);
    await queryRunner.query(`DROP INDEX "public"."uq_sessions_request_id"`);
    await queryRunner.query(`ALTER TABLE "sessions" ADD "request_fingerprint" character(64)`);
    await queryRunner.query(
      `CREATE INDEX "ix_ledger_entries_session" ON "ledger_entries"  ("session_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ledger_entries_analyst_request_kind" ON "ledger_entries"  ("analyst", "request_id", "kind") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_sessions_requested_by_request_id" ON "sessions"  ("requested_by", "request_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_sessions_requested_by_request_id"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ledger_entries_analyst_request_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ledger_entries_session"`);
    await queryRunner.query(`ALTER TABLE "sessions" DROP COLUMN "request_fingerprint"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_sessions_request_id" ON "sessions" USING btree ("request_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ledger_entries_request_kind" ON "ledger_entries" USING btree ("request_id", "kind") `,
    );
  }
}
