import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI documentation of `CoverageResponse` (../coverage.controller.ts). */
class InputCoverageDoc {
  @ApiProperty({ example: 'fare-transactions' })
  connector: string;

  @ApiProperty({ enum: ['dated', 'any-date', 'unknown'] })
  kind: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Only for `dated`: dates or inclusive ranges (2026-03-01/2026-03-31)',
  })
  dates?: string[];
}

class AgencyCoverageDoc {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty()
  role: string;

  @ApiProperty()
  connected: boolean;

  @ApiProperty({ description: 'False: nothing is known about its data' })
  announced: boolean;

  @ApiProperty({ type: [InputCoverageDoc] })
  inputs: InputCoverageDoc[];
}

class ProtocolInputCoverageDoc {
  @ApiProperty()
  input: string;

  @ApiProperty()
  connector: string;

  @ApiProperty({ type: String, nullable: true })
  agencyId: string | null;

  @ApiProperty({ enum: ['dated', 'any-date', 'unknown', 'not-announced'] })
  kind: string;

  @ApiPropertyOptional({ type: [String] })
  dates?: string[];
}

class ProtocolCoverageDoc {
  @ApiProperty()
  id: string;

  @ApiProperty()
  version: string;

  @ApiProperty({
    description: 'Days one request covers from its serviceDate (7: weekly, 30: service-30-days)',
  })
  windowDays: number;

  @ApiProperty({
    type: [String],
    nullable: true,
    description:
      'Dates or ranges a request may start on: every dated input holds them (for a protocol of several days, all of them); null when none is known',
  })
  serviceDates: string[] | null;

  @ApiProperty({ description: 'False when some input’s coverage is unknown' })
  complete: boolean;

  @ApiProperty({ type: [ProtocolInputCoverageDoc] })
  inputs: ProtocolInputCoverageDoc[];
}

export class CoverageDoc {
  @ApiProperty({ type: [AgencyCoverageDoc] })
  agencies: AgencyCoverageDoc[];

  @ApiProperty({ type: [ProtocolCoverageDoc] })
  protocols: ProtocolCoverageDoc[];
}
