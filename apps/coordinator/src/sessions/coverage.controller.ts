import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { PRIVACY_WINDOWS } from '#concord/protocol';
import { type CoverageKind, type InputCoverage, windowStarts } from '#concord/wire';
import { AgenciesService } from '../agencies/agencies.service.js';
import { Roles } from '../auth/roles.decorator.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { NodePresence } from '../gateway/node-presence.js';
import { commonServiceDates, inputHolders } from './data-coverage.js';
import { CoverageDoc } from './docs/coverage.doc.js';

/** What one agency's node announced it holds (public metadata, never row counts or values). */
export interface AgencyCoverage {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly connected: boolean;
  /** False: the node is away or has not announced; nothing is known about its data. */
  readonly announced: boolean;
  readonly inputs: readonly InputCoverage[];
}

/** Which service dates a protocol can be requested for, from its inputs' agencies. */
export interface ProtocolCoverage {
  readonly id: string;
  readonly version: string;
  /** Days one request covers from its `serviceDate`: 1, 7 (a week) or 30 (`service-30-days`). */
  readonly windowDays: number;
  /**
   * Date ranges (`YYYY-MM-DD` or `YYYY-MM-DD/YYYY-MM-DD`) a request's `serviceDate` may take:
   * dates every dated input holds, or for a protocol of several days (a week, 30 days) the first
   * days of the spans they hold whole; null when no input's dates are known (no dated input, or
   * none announced).
   */
  readonly serviceDates: readonly string[] | null;
  /** False when some input's coverage is unknown: `serviceDates` is then an upper bound. */
  readonly complete: boolean;
  readonly inputs: readonly {
    readonly input: string;
    readonly connector: string;
    readonly agencyId: string | null;
    readonly kind: CoverageKind | 'not-announced';
    readonly dates?: readonly string[];
  }[];
}

export interface CoverageResponse {
  readonly agencies: readonly AgencyCoverage[];
  readonly protocols: readonly ProtocolCoverage[];
}

/**
 * Data coverage: the service dates (and connectors) each agency node announced it holds, and per
 * catalogue protocol the dates all its inputs cover — what the dashboard's date picker offers. A
 * report for a date an agency announced it lacks is refused (`no-data-for-date`) before it is
 * charged.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('analyst', 'auditor')
@Controller('catalogue')
export class CoverageController {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly agencies: AgenciesService,
    private readonly presence: NodePresence,
  ) {}

  @Get('coverage')
  @ApiOkResponse({ type: CoverageDoc })
  coverage(): CoverageResponse {
    const logins = this.presence.logins();
    const agencies = [1, 2, 3].flatMap((p) => {
      const a = this.agencies.byParty(p);
      if (!a) return [];
      const login = logins.find((l) => l.party === p);
      return [
        {
          id: a.id,
          name: a.name,
          role: a.role,
          connected: login !== undefined,
          announced: login?.coverage !== undefined,
          inputs: login?.coverage?.inputs ?? [],
        },
      ];
    });
    const lookup = {
      agencyOf: (role: Parameters<AgenciesService['byRole']>[0]) => this.agencies.byRole(role),
      logins: () => logins,
    };
    const protocols = this.catalogue.entries().map((e) => {
      const d = e.analysis.definition;
      const holders = inputHolders(d, lookup);
      const common = commonServiceDates(holders);
      const windowDays = PRIVACY_WINDOWS[d.privacyUnit.window];
      return {
        id: d.id,
        version: d.version,
        windowDays,
        // A protocol of several days is requested by the first day of a span all inputs hold whole.
        serviceDates: common.dates && windowStarts(common.dates, windowDays),
        complete: common.complete,
        inputs: holders.map((h) => ({
          input: h.input,
          connector: h.connector,
          agencyId: h.agencyId ?? null,
          kind: h.coverage?.kind ?? ('not-announced' as const),
          ...(h.coverage?.dates ? { dates: h.coverage.dates } : {}),
        })),
      };
    });
    return { agencies, protocols };
  }
}
