import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI documentation of `AuditReport` (#concord/audit): the verifier's verdict. */
class AuditCheckDoc {
  @ApiProperty()
  name: string;

  @ApiProperty()
  ok: boolean;

  @ApiProperty({ description: 'What was verified, or what failed' })
  detail: string;

  @ApiPropertyOptional({ description: 'The first bad entry, when a check fails on one' })
  seq?: number;
}

class AuditAbortDoc {
  @ApiProperty({
    oneOf: [{ type: 'string', enum: ['coordinator'] }, { type: 'integer' }],
    description: '"coordinator" or a party number',
  })
  by: string | number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  message: string;

  @ApiProperty()
  dataPhaseStarted: boolean;

  @ApiProperty()
  seq: number;
}

class AuditPartyAbortDoc {
  @ApiProperty({ minimum: 1, maximum: 3 })
  party: number;

  @ApiProperty()
  code: string;

  @ApiProperty()
  message: string;

  @ApiProperty({ type: [Number] })
  suspects: number[];

  @ApiProperty()
  seq: number;
}

class AuditChargeDoc {
  @ApiProperty()
  requestId: string;

  @ApiProperty()
  scope: string;

  @ApiProperty()
  window: string;

  @ApiProperty()
  rho: string;

  @ApiProperty()
  xi: string;
}

class AuditRefundDoc {
  @ApiProperty()
  rho: string;

  @ApiProperty()
  xi: string;

  @ApiProperty()
  seq: number;
}

export class VerificationDoc {
  @ApiProperty({ description: 'True when every check passed' })
  ok: boolean;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ enum: ['completed', 'aborted', 'unfinished', 'unreadable'] })
  outcome: string;

  @ApiProperty({ type: AuditAbortDoc, nullable: true })
  abort: AuditAbortDoc | null;

  @ApiProperty({ type: [AuditPartyAbortDoc] })
  partyAborts: AuditPartyAbortDoc[];

  @ApiProperty({ type: AuditChargeDoc, nullable: true })
  charge: AuditChargeDoc | null;

  @ApiProperty({ type: AuditRefundDoc, nullable: true })
  refund: AuditRefundDoc | null;

  @ApiProperty({ type: [AuditCheckDoc] })
  checks: AuditCheckDoc[];
}
