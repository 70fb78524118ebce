import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../principal.js';

/** OpenAPI documentation of the token endpoints (../tokens.controller.ts, ../me.controller.ts). */
export class MeDoc {
  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: string;
}

export class IssuedTokenDoc {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ description: 'The opaque bearer token: shown once, never stored' })
  token: string;
}

export class TokenSummaryDoc {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: string;

  @ApiProperty()
  createdBy: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: string | null;

  @ApiProperty()
  revoked: boolean;

  @ApiProperty({ enum: ['active', 'expired', 'revoked'] })
  state: string;
}
