import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ReleasePrivacyDoc } from '../../common/docs/release-privacy.doc.js';

/**
 * OpenAPI documentation of `ReportResponse` (../report.presenter.ts): documentation types only,
 * so the document describes the report without changing what the presenter returns.
 */
class ReportProtocolDoc {
  @ApiProperty({ example: 'revenue-per-boarding' })
  id: string;

  @ApiProperty({ example: '1.0.0' })
  version: string;

  @ApiProperty({ description: 'Hash of the protocol definition the agencies approved' })
  hash: string;

  @ApiProperty()
  title: string;
}

class ReportBudgetDoc {
  @ApiProperty({ enum: ['discrete-gaussian', 'polya-laplace'] })
  mechanism: string;

  @ApiProperty({ description: 'The budget as requested', example: '1/2' })
  value: string;

  @ApiProperty()
  rho: string;

  @ApiProperty()
  xi: string;
}

class ReportErrorDoc {
  @ApiProperty()
  code: string;

  @ApiProperty()
  message: string;
}

class GridAxisDoc {
  @ApiProperty({ example: 'route' })
  name: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'The axis values in cell order (public axes in natural order: 9 before 10); absent for an integer range longer than 10,000',
  })
  values?: string[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'integer' },
    minItems: 2,
    maxItems: 2,
    description: 'Inclusive integer range, for range axes',
  })
  range?: [number, number];
}

class SliceHalfWidthDoc {
  @ApiProperty({ description: 'Number of cells summed' })
  cells: number;

  @ApiProperty({ description: 'Exact 95% half-width of such a sum, an integer' })
  halfWidth: string;
}

class ReportOutputDoc {
  @ApiProperty({ example: 'boardings' })
  name: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ example: 'boardings' })
  unit: string;

  @ApiProperty({ type: [String], description: 'Axis names; `values` is row-major over them' })
  axes: string[];

  @ApiProperty({
    type: [String],
    description:
      'Noisy released integers, one per cell (may be negative); empty with ?values=false',
  })
  values: string[];

  @ApiProperty({ example: '0.95' })
  confidenceLevel: string;

  @ApiProperty({ description: 'Half-width of every cell’s interval, an integer' })
  intervalHalfWidth: string;

  @ApiProperty({ type: [SliceHalfWidthDoc] })
  sliceHalfWidths: SliceHalfWidthDoc[];

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The noise law the release used (mechanism and its parameters)',
  })
  noise: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Only with `?estimates=true`: post-processed estimates (non-negative, consistent with the released sums; labelled "post-processed estimate", not the release), their method, margin error and the error measured by simulation (docs/privacy.md)',
  })
  estimates?: Record<string, unknown>;
}

class DerivedRatioDoc {
  @ApiProperty({ example: 'revenue_per_boarding' })
  name: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ example: 'cents/boarding' })
  unit: string;

  @ApiProperty({ description: 'The released output it divides' })
  numerator: string;

  @ApiProperty()
  denominator: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', nullable: true },
    description: 'Per cell, the ratio of the released values; null where the denominator ≤ 0',
  })
  values: (string | null)[];

  @ApiProperty({ description: 'Coverage of `intervals` (at least)', example: '0.9' })
  confidenceLevel: string;

  @ApiProperty({
    type: 'array',
    items: {
      type: 'array',
      items: { type: 'string' },
      minItems: 2,
      maxItems: 2,
      nullable: true,
    },
    description: 'Per cell, [lower, upper] of the ratio; null where it has no range',
  })
  intervals: ([string, string] | null)[];

  @ApiProperty({
    type: 'array',
    items: { type: 'string', nullable: true },
    description: 'Per cell, why there is no range (null where there is one)',
  })
  reasons: (string | null)[];
}

class ReportTranscriptDoc {
  @ApiProperty({ type: String, nullable: true, description: 'Hash of the last transcript entry' })
  head: string | null;

  @ApiProperty({ type: [String], description: 'Agencies that sealed the transcript' })
  sealedBy: string[];
}

class ReportProgressDoc {
  @ApiProperty()
  accepted: number;

  @ApiProperty()
  committed: number;

  @ApiProperty()
  envelopes: number;

  @ApiProperty()
  resultsReported: number;

  @ApiProperty()
  sealed: number;
}

class ReportPageDoc {
  @ApiProperty({ description: 'The first cell of the page, as asked' })
  offset: number;

  @ApiProperty({ description: 'At most this many cells of every output and derived ratio' })
  limit: number;

  @ApiProperty({ description: 'The largest output’s cell count: pages run to it' })
  cells: number;
}

export class ReportDoc {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    description: 'created, inviting, running, sealing, completed or aborted',
    example: 'completed',
  })
  state: string;

  @ApiProperty({ type: ReportProtocolDoc })
  protocol: ReportProtocolDoc;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { serviceDate: '2026-03-10' },
  })
  parameters: Record<string, string>;

  @ApiProperty({ type: ReportBudgetDoc })
  budget: ReportBudgetDoc;

  @ApiProperty({ type: ReleasePrivacyDoc })
  privacy: ReleasePrivacyDoc;

  @ApiProperty()
  requestId: string;

  @ApiProperty()
  requestedBy: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  admittedAt: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Place in the queue while waiting (1 = next); null once started',
  })
  queuePosition: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ type: ReportErrorDoc, nullable: true })
  error: ReportErrorDoc | null;

  @ApiProperty({ type: [GridAxisDoc] })
  grid: GridAxisDoc[];

  @ApiProperty({ type: [ReportOutputDoc] })
  outputs: ReportOutputDoc[];

  @ApiProperty({ type: [DerivedRatioDoc] })
  derived: DerivedRatioDoc[];

  @ApiProperty({ type: ReportTranscriptDoc })
  transcript: ReportTranscriptDoc;

  @ApiProperty({ type: ReportProgressDoc })
  progress: ReportProgressDoc;

  @ApiProperty({
    type: ReportPageDoc,
    required: false,
    description: 'Only with ?limit=: which cells the values (and derived ratios) hold',
  })
  page?: ReportPageDoc;
}
