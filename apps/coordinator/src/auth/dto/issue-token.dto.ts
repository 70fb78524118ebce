import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { type Role, ROLES } from '../principal.js';
import { DEFAULT_TOKEN_LIFETIME, TOKEN_LIFETIME_PATTERN } from '../token-lifetime.js';

export class IssueTokenDto {
  @ApiProperty({
    description: 'Who will hold the token: recorded as the requester of reports and ledger charges',
    example: 'ana-analyst',
  })
  @Matches(/^[a-z][a-z0-9._-]{1,62}$/)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    description: `How long the token is valid: a whole number and a unit s, m, h or d, at most 400d (default ${DEFAULT_TOKEN_LIFETIME})`,
    example: '30d',
  })
  @IsOptional()
  @Matches(TOKEN_LIFETIME_PATTERN, { message: 'expiresIn must look like 90d, 12h, 30m or 45s' })
  expiresIn?: string;
}
