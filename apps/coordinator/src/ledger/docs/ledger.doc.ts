import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI documentation of GET /ledger (../ledger.controller.ts). */
class BudgetDisplayDoc {
  @ApiProperty({ description: 'zCDP ρ, exact rational text' })
  rho: string;

  @ApiProperty({ description: 'ξ, exact rational text' })
  xi: string;

  @ApiProperty()
  delta: number;

  @ApiProperty({ description: 'ε at δ, rounded up' })
  epsilon: number;

  @ApiProperty()
  epsilonText: string;
}

class BucketFiguresDoc {
  @ApiProperty({ type: BudgetDisplayDoc })
  spent: BudgetDisplayDoc;

  @ApiProperty({ type: BudgetDisplayDoc })
  cap: BudgetDisplayDoc;

  @ApiProperty({ type: BudgetDisplayDoc })
  remaining: BudgetDisplayDoc;
}

class LedgerBalanceDoc extends BucketFiguresDoc {
  @ApiProperty()
  scope: string;

  @ApiProperty()
  window: string;

  @ApiProperty({ type: String, nullable: true, description: 'The analyst; null for the bucket' })
  analyst: string | null;

  @ApiProperty()
  delta: number;

  @ApiProperty({
    type: BucketFiguresDoc,
    nullable: true,
    description: 'For an analyst: the whole bucket’s figures',
  })
  bucket: BucketFiguresDoc | null;
}

class AnalystShareDoc {
  @ApiProperty()
  name: string;

  @ApiProperty()
  spent: string;

  @ApiProperty()
  quota: string;

  @ApiProperty()
  remaining: string;
}

class LedgerBucketDoc {
  @ApiProperty({ description: 'Dataset scope of the bucket' })
  scope: string;

  @ApiProperty({
    description:
      'The bucket: one service day (a request of several days, a week or 30, is charged to each of them, listed apart)',
    example: '2026-03-10',
  })
  window: string;

  @ApiProperty({ description: 'ρ spent, exact' })
  spent: string;

  @ApiProperty({ description: 'ρ cap, exact' })
  cap: string;

  @ApiProperty()
  remaining: string;

  @ApiProperty()
  xiSpent: string;

  @ApiProperty()
  epsilonSpent: number;

  @ApiProperty()
  epsilonCap: number;

  @ApiProperty({ description: 'ε spent, as every surface shows it' })
  epsilonSpentText: string;

  @ApiProperty()
  epsilonCapText: string;

  @ApiProperty({ description: 'ε remaining, rounded down' })
  epsilonRemainingText: string;

  @ApiPropertyOptional({
    type: AnalystShareDoc,
    description: 'For an analyst: their own spend and quota',
  })
  analyst?: AnalystShareDoc;

  @ApiProperty({ type: LedgerBalanceDoc })
  detail: LedgerBalanceDoc;
}

export class LedgerDoc {
  @ApiProperty({ description: 'The δ every ε is stated at' })
  delta: number;

  @ApiProperty({ description: 'Link to docs/privacy.md' })
  docs: string;

  @ApiProperty({ type: [LedgerBucketDoc] })
  buckets: LedgerBucketDoc[];
}
