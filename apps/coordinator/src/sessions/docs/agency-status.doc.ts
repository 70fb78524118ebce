import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI documentation of `AgencyStatus` (../agencies.controller.ts). */
export class AgencyStatusDoc {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ['transit', 'payments', 'planning'] })
  role: string;

  @ApiProperty({ minimum: 1, maximum: 3 })
  party: number;

  @ApiProperty({ description: 'The pinned identity public key, hex' })
  identityKey: string;

  @ApiProperty({ description: 'Whether its node is connected now' })
  connected: boolean;
}
