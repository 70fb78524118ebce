import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tokens expire and record their last use. Tokens issued before this migration keep no expiry
 * (NULL): revoke them, or they stay valid until revoked (docs/security.md, 'Tokens').
 */
export class TokenExpiry1796700000000 implements MigrationInterface {
  name = 'TokenExpiry1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "api_tokens" ADD "expires_at" TIMESTAMP WITH TIME ZONE, ADD "last_used_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "api_tokens" DROP COLUMN "last_used_at", DROP COLUMN "expires_at"`,
    );
  }
}
