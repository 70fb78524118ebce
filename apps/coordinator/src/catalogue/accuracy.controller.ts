import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  type AxisSelection,
  type BudgetForHalfWidth,
  budgetForHalfWidth,
  type CatalogueEntry,
  type ProtocolAccuracy,
  planAxisSize,
  protocolAccuracy,
} from '#concord/protocol';
import { Rational } from '#concord/dp';
import { Roles } from '../auth/roles.decorator.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { CatalogueService } from './catalogue.service.js';
import { HalfWidthPlanDoc, ProtocolAccuracyDoc } from './docs/accuracy.doc.js';
import { AccuracyQueryDto } from './dto/accuracy-query.dto.js';
import { AXIS_SELECTION_SHAPE, isAxisSelection } from './dto/is-axis-selection.js';

/** The answer for a target half-width: per output the budget it needs, and what that buys. */
export interface HalfWidthPlan {
  readonly protocol: { readonly id: string; readonly version: string };
  readonly halfWidth: string;
  readonly needed: readonly BudgetForHalfWidth[];
  /** The budget that gives every chosen output at most the half-width; null if none does. */
  readonly budget: string | null;
  /** The precision and privacy statement at `budget` (null when `budget` is null). */
  readonly accuracy: ProtocolAccuracy | null;
}

/**
 * Accuracy before spending (docs/privacy.md, 'Error bars'): the half-widths a budget buys, or the
 * budget a half-width needs, computed by the same calibration the release uses. Data-independent
 * and free: nothing is charged and no agency is contacted.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProblemResponses()
@ApiExtraModels(ProtocolAccuracyDoc, HalfWidthPlanDoc)
@Roles('analyst', 'auditor')
@Controller('catalogue')
export class AccuracyController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get(':id/accuracy')
  @ApiOperation({
    summary: 'The 95% half-width of every output at a budget, or the budget a half-width needs',
  })
  @ApiOkResponse({
    description:
      'With `budget`: per output its share of the budget and half-width, and the report’s privacy statement. With `halfWidth`: per output the smallest budget (3 significant digits) that reaches it.',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ProtocolAccuracyDoc) },
        { $ref: getSchemaPath(HalfWidthPlanDoc) },
      ],
    },
  })
  accuracy(
    @Param('id') id: string,
    @Query() query: AccuracyQueryDto,
  ): ProtocolAccuracy | HalfWidthPlan {
    if ((query.budget === undefined) === (query.halfWidth === undefined)) {
      throw new CoordinatorError(
        'invalid-request',
        'give exactly one of budget (what precision it buys) and halfWidth (what budget it needs)',
      );
    }
    const entry = this.catalogue.find(id, query.version);
    const cells = this.cellCounts(entry, selectionOf(query.axes));
    if (query.budget !== undefined) return protocolAccuracy(entry.analysis, query.budget, cells);
    const needed = budgetForHalfWidth(
      entry.analysis,
      BigInt(query.halfWidth!),
      cells,
      query.output,
    );
    const budget = needed.some((n) => n.budget === null)
      ? null
      : needed
          .map((n) => Rational.parse(n.budget!))
          .reduce((a, b) => Rational.max(a, b))
          .toString();
    const d = entry.analysis.definition;
    return {
      protocol: { id: d.id, version: d.version },
      halfWidth: query.halfWidth!,
      needed,
      budget,
      accuracy: budget === null ? null : protocolAccuracy(entry.analysis, budget, cells),
    };
  }

  /** Each output's cell count over the public grid, or the selected part (ξ = τ·d is per cell). */
  private cellCounts(
    entry: CatalogueEntry,
    selection: AxisSelection | undefined,
  ): (output: string) => number {
    const values = this.catalogue.axisValues(entry, selection);
    const sizes = new Map(
      entry.analysis.definition.axes.map((a) => [
        a.name,
        'range' in a.source
          ? planAxisSize({ name: a.name, range: [a.source.range[0], a.source.range[1]] })
          : (values[a.name]?.length ?? 1),
      ]),
    );
    const byName = new Map(
      entry.analysis.outputs.map((o) => [
        o.name,
        o.axes.reduce((n, a) => n * (sizes.get(a) ?? 1), 1),
      ]),
    );
    return (output) => byName.get(output) ?? 1;
  }
}

/** The `axes` query (the JSON of a request's `axes`), checked as the request's would be. */
function selectionOf(axes: string | undefined): AxisSelection | undefined {
  if (axes === undefined) return undefined;
  const selection: unknown = JSON.parse(axes);
  if (!isAxisSelection(selection))
    throw new CoordinatorError('invalid-request', AXIS_SELECTION_SHAPE);
  return selection;
}
