import { ApiProperty } from '@nestjs/swagger';

/** OpenAPI documentation of `CatalogueItem` (../catalogue.controller.ts). */
class ParameterDoc {
  @ApiProperty({ example: 'serviceDate' })
  name: string;

  @ApiProperty({ example: 'date' })
  type: string;

  @ApiProperty()
  description: string;
}

class PrivacyUnitDoc {
  @ApiProperty({ example: 'token' })
  entity: string;

  @ApiProperty({ example: 'service-day' })
  window: string;

  @ApiProperty()
  scope: string;
}

class CatalogueOutputDoc {
  @ApiProperty()
  name: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  unit: string;

  @ApiProperty({ description: 'Its share of the budget, exact', example: '1/2' })
  budgetShare: string;
}

class CatalogueDerivedDoc {
  @ApiProperty()
  name: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  unit: string;

  @ApiProperty()
  numerator: string;

  @ApiProperty()
  denominator: string;
}

class CataloguePrivacyDoc {
  @ApiProperty({ enum: ['discrete-gaussian', 'polya-laplace'] })
  mechanism: string;

  @ApiProperty()
  minBudget: string;

  @ApiProperty()
  maxBudget: string;
}

export class CatalogueItemDoc {
  @ApiProperty({ example: 'revenue-per-boarding' })
  id: string;

  @ApiProperty()
  version: string;

  @ApiProperty()
  hash: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  summary: string;

  @ApiProperty({ type: [ParameterDoc] })
  parameters: ParameterDoc[];

  @ApiProperty({ type: PrivacyUnitDoc })
  privacyUnit: PrivacyUnitDoc;

  @ApiProperty({ type: [String] })
  axes: string[];

  @ApiProperty({ type: [CatalogueOutputDoc] })
  outputs: CatalogueOutputDoc[];

  @ApiProperty({ type: [CatalogueDerivedDoc] })
  derived: CatalogueDerivedDoc[];

  @ApiProperty({ type: CataloguePrivacyDoc })
  privacy: CataloguePrivacyDoc;
}

/** OpenAPI documentation of `PublicAxis` (../catalogue.controller.ts). */
export class PublicAxisDoc {
  @ApiProperty({ example: 'from_zone' })
  name: string;

  @ApiProperty({ example: 'zones', description: 'The public reference data set' })
  source: string;

  @ApiProperty({ example: ['Z01', 'Z02'], description: 'In the grid’s order', type: [String] })
  values: string[];
}
