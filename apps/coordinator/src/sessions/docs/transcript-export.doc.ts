import { ApiProperty } from '@nestjs/swagger';

/**
 * OpenAPI documentation of `TranscriptExport` (../transcript-export.ts), the file auditors verify
 * offline with `concord audit verify`. The plan, entries and release are described by their role;
 * docs/audit.md and #concord/audit's reader define them field by field.
 */
class ExportProtocolDoc {
  @ApiProperty()
  id: string;

  @ApiProperty()
  version: string;

  @ApiProperty()
  hash: string;
}

class ExportSealDoc {
  @ApiProperty({ minimum: 1, maximum: 3 })
  party: number;

  @ApiProperty()
  agencyId: string;

  @ApiProperty({ description: 'The transcript head the agency signed' })
  headHash: string;

  @ApiProperty({ description: 'The agency’s signature over the head, hex' })
  signature: string;
}

class ExportAgencyDoc {
  @ApiProperty()
  id: string;

  @ApiProperty({ minimum: 1, maximum: 3 })
  party: number;

  @ApiProperty({ description: 'The pinned identity public key, hex' })
  identityKey: string;
}

export class TranscriptExportDoc {
  @ApiProperty({ example: 'concord-transcript/1' })
  format: string;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty()
  state: string;

  @ApiProperty({ type: ExportProtocolDoc })
  protocol: ExportProtocolDoc;

  @ApiProperty()
  planHash: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The compiled session plan (its hash is `planHash`)',
  })
  plan: Record<string, unknown>;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The hash-chained transcript entries, in order',
  })
  entries: Record<string, unknown>[];

  @ApiProperty({ type: [ExportSealDoc] })
  seals: ExportSealDoc[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The published outputs, as GET /reports/:id serves them; null when none',
  })
  release: Record<string, unknown> | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'For an aborted session: its code, message and who ended it',
  })
  abort: Record<string, unknown> | null;

  @ApiProperty({ type: [ExportAgencyDoc], description: 'Informational: the pinned agencies' })
  agencies: ExportAgencyDoc[];
}
