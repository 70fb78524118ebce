import { ApiProperty } from '@nestjs/swagger';
import { ReleasePrivacyDoc } from '../../common/docs/release-privacy.doc.js';

/**
 * OpenAPI documentation of GET /catalogue/:id/accuracy: `ProtocolAccuracy` (#concord/protocol)
 * for a budget, `HalfWidthPlan` (../accuracy.controller.ts) for a target half-width.
 */
class ProtocolRefDoc {
  @ApiProperty()
  id: string;

  @ApiProperty()
  version: string;
}

class OutputAccuracyDoc {
  @ApiProperty()
  name: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  unit: string;

  @ApiProperty({ description: 'This output’s part of the budget, exact' })
  budget: string;

  @ApiProperty({ description: '95% half-width every released cell will carry' })
  halfWidth: string;

  @ApiProperty({ example: '0.95' })
  confidenceLevel: string;

  @ApiProperty()
  noiseVariance: number;
}

export class ProtocolAccuracyDoc {
  @ApiProperty({ type: ProtocolRefDoc })
  protocol: ProtocolRefDoc;

  @ApiProperty({ enum: ['discrete-gaussian', 'polya-laplace'] })
  mechanism: string;

  @ApiProperty()
  budget: string;

  @ApiProperty({ type: [OutputAccuracyDoc] })
  outputs: OutputAccuracyDoc[];

  @ApiProperty({ type: ReleasePrivacyDoc })
  privacy: ReleasePrivacyDoc;
}

class BudgetForHalfWidthDoc {
  @ApiProperty()
  name: string;

  @ApiProperty()
  unit: string;

  @ApiProperty()
  halfWidth: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Smallest budget reaching the half-width; null if none in range does',
  })
  budget: string | null;

  @ApiProperty({ description: 'The half-width that budget (or the largest allowed) gives' })
  achieved: string;
}

export class HalfWidthPlanDoc {
  @ApiProperty({ type: ProtocolRefDoc })
  protocol: ProtocolRefDoc;

  @ApiProperty()
  halfWidth: string;

  @ApiProperty({ type: [BudgetForHalfWidthDoc] })
  needed: BudgetForHalfWidthDoc[];

  @ApiProperty({ type: String, nullable: true })
  budget: string | null;

  @ApiProperty({ type: ProtocolAccuracyDoc, nullable: true })
  accuracy: ProtocolAccuracyDoc | null;
}
