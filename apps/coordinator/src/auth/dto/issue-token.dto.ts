import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { type Role, ROLES } from '../principal.js';

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
}
