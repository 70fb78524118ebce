import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795693563994 implements MigrationInterface {
  name = 'InitialSchema1795693563994';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "agencies" ("id" character varying(63) NOT NULL, "name" character varying(200) NOT NULL, "role" character varying(16) NOT NULL, "party_index" smallint NOT NULL, "identity_public_key" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_1f113ed9b2b653b535779d85db5" UNIQUE ("party_index"), CONSTRAINT "ck_agencies_party_index" CHECK ("party_index" BETWEEN 1 AND 3), CONSTRAINT "ck_agencies_role" CHECK ("role" IN ('transit', 'payments', 'planning')), CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid, "request_id" character varying(100) NOT NULL, "kind" character varying(8) NOT NULL, "scope" character varying(200) NOT NULL, "window" character varying(40) NOT NULL, "analyst" character varying(100) NOT NULL, "rho" character varying(160) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_ledger_entries_kind" CHECK ("kind" IN ('charge', 'refund')), CONSTRAINT "PK_6efcb84411d3f08b08450ae75d5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ledger_entries_bucket" ON "ledger_entries"  ("scope", "window") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_ledger_entries_request_kind" ON "ledger_entries"  ("request_id", "kind") `,
    );
    await queryRunner.query(
      `CREATE TABLE "protocol_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "protocol_id" character varying(100) NOT NULL, "version" character varying(32) NOT NULL, "hash" character(64) NOT NULL, "title" character varying(200) NOT NULL, "definition" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c63c5f6cfa4f43a2cb6e10c49f1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_protocol_versions_hash" ON "protocol_versions"  ("hash") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_protocol_versions_id_version" ON "protocol_versions"  ("protocol_id", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "protocol_version_id" uuid NOT NULL, "state" character varying(16) NOT NULL, "parameters" jsonb NOT NULL, "plan" jsonb NOT NULL, "plan_hash" character(64) NOT NULL, "budget_rho" character varying(160) NOT NULL, "request_id" character varying(100) NOT NULL, "requested_by" character varying(100) NOT NULL, "error_code" character varying(64), "error_message" text, "transcript_head" character(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_sessions_state" CHECK ("state" IN ('created', 'inviting', 'running', 'sealing', 'completed', 'aborted')), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_sessions_request_id" ON "sessions"  ("request_id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_sessions_state" ON "sessions"  ("state") `);
    await queryRunner.query(
      `CREATE TABLE "results" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "session_id" uuid NOT NULL, "output_name" character varying(100) NOT NULL, "unit" character varying(32) NOT NULL, "noisy_values" jsonb NOT NULL, "interval_half_width" character varying(40) NOT NULL, "confidence_level" character varying(8) NOT NULL, "noise" jsonb NOT NULL, CONSTRAINT "PK_e8f2a9191c61c15b627c117a678" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_results_session_output" ON "results"  ("session_id", "output_name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "session_seals" ("session_id" uuid NOT NULL, "party_index" smallint NOT NULL, "agency_id" character varying(63) NOT NULL, "head_hash" character(64) NOT NULL, "signature" character(128) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_943840b361422b8f3dfb7f47c2e" PRIMARY KEY ("session_id", "party_index"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "transcript_entries" ("session_id" uuid NOT NULL, "seq" integer NOT NULL, "kind" character varying(32) NOT NULL, "at" character varying(32) NOT NULL, "body" jsonb NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_ce9b7ee1d46d700d365a769c3dc" PRIMARY KEY ("session_id", "seq"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_5d8a8d85bbb0fb98475ec83fd9a" FOREIGN KEY ("protocol_version_id") REFERENCES "protocol_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "results" ADD CONSTRAINT "FK_316df995ef59050d9f054994cf4" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "session_seals" ADD CONSTRAINT "FK_f3d9ed9154ba63466b3d0afb1b8" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "transcript_entries" ADD CONSTRAINT "FK_9370b347f90cb3f711604878e86" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "transcript_entries" DROP CONSTRAINT "FK_9370b347f90cb3f711604878e86"`,
    );
    await queryRunner.query(
      `ALTER TABLE "session_seals" DROP CONSTRAINT "FK_f3d9ed9154ba63466b3d0afb1b8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "results" DROP CONSTRAINT "FK_316df995ef59050d9f054994cf4"`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" DROP CONSTRAINT "FK_5d8a8d85bbb0fb98475ec83fd9a"`,
    );
    await queryRunner.query(`DROP TABLE "transcript_entries"`);
    await queryRunner.query(`DROP TABLE "session_seals"`);
    await queryRunner.query(`DROP INDEX "public"."uq_results_session_output"`);
    await queryRunner.query(`DROP TABLE "results"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sessions_state"`);
    await queryRunner.query(`DROP INDEX "public"."uq_sessions_request_id"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_protocol_versions_id_version"`);
    await queryRunner.query(`DROP INDEX "public"."uq_protocol_versions_hash"`);
    await queryRunner.query(`DROP TABLE "protocol_versions"`);
    await queryRunner.query(`DROP INDEX "public"."uq_ledger_entries_request_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ledger_entries_bucket"`);
    await queryRunner.query(`DROP TABLE "ledger_entries"`);
    await queryRunner.query(`DROP TABLE "agencies"`);
  }
}
