import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { Roles } from '../auth/roles.decorator.js';
import { CatalogueService } from './catalogue.service.js';
import { CatalogueItemDoc, PublicAxisDoc } from './docs/catalogue-item.doc.js';

/** One catalogue protocol as analysts see it (what they can request and what it releases). */
export interface CatalogueItem {
  readonly id: string;
  readonly version: string;
  readonly hash: string;
  readonly title: string;
  readonly summary: string;
  readonly parameters: readonly {
    readonly name: string;
    readonly type: string;
    readonly description: string;
  }[];
  readonly privacyUnit: {
    readonly entity: string;
    readonly window: string;
    readonly scope: string;
  };
  readonly axes: readonly string[];
  readonly outputs: readonly {
    readonly name: string;
    readonly title: string;
    readonly unit: string;
    readonly budgetShare: string;
  }[];
  readonly derived: readonly {
    readonly name: string;
    readonly title: string;
    readonly unit: string;
  }[];
  readonly privacy: {
    readonly mechanism: string;
    readonly minBudget: string;
    readonly maxBudget: string;
  };
}

/** A protocol's axis whose values come from public reference data, with those values. */
export interface PublicAxis {
  readonly name: string;
  /** The public data set: `zones`, `gtfs-routes`, `gtfs-stops`, `fare-products`. */
  readonly source: string;
  /** In the grid's order; a request's `axes` may select some of them. */
  readonly values: readonly string[];
}

@ApiTags('reports')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('analyst', 'auditor')
@Controller('catalogue')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @ApiOkResponse({ type: [CatalogueItemDoc], description: 'Every protocol analysts can request' })
  list(): CatalogueItem[] {
    return this.catalogue.entries().map((e) => {
      const d = e.analysis.definition;
      return {
        id: d.id,
        version: d.version,
        hash: e.hash,
        title: d.title,
        summary: d.summary,
        parameters: d.parameters,
        privacyUnit: d.privacyUnit,
        axes: d.axes.map((a) => a.name),
        outputs: d.outputs.map((o) => ({
          name: o.name,
          title: o.title,
          unit: o.unit,
          budgetShare: o.budgetShare,
        })),
        derived: d.derived.map((x) => ({
          name: x.name,
          title: x.title,
          unit: x.unit,
          numerator: x.numerator,
          denominator: x.denominator,
        })),
        privacy: d.privacy,
      };
    });
  }

  @Get(':id/axes')
  @ApiOperation({
    summary: 'The public axes of a protocol and their values (a request may select some of them)',
  })
  @ApiOkResponse({ type: [PublicAxisDoc] })
  axes(@Param('id') id: string): PublicAxis[] {
    const entry = this.catalogue.find(id);
    const values = this.catalogue.axisValues(entry);
    return entry.analysis.definition.axes.flatMap((a) =>
      'public' in a.source
        ? [{ name: a.name, source: a.source.public, values: values[a.name] ?? [] }]
        : [],
    );
  }
}
