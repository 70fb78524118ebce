import {
  BadRequestException,
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { Throttle } from '@nestjs/throttler';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Roles } from '../auth/roles.decorator.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import { ReportDoc } from './docs/report.doc.js';
import { CreateReportDto } from './dto/create-report.dto.js';
import { presentReport, type ReportResponse } from './report.presenter.js';
import { withEstimates } from './report-estimates.js';
import { MAX_PAGE_CELLS, pageOfReport } from './report-page.js';
import { RECHECK_MS, SessionChanges } from './session-changes.js';
import { SessionLeases } from './session-leases.js';
import { SessionRuntime } from './session-runtime.service.js';
import { SessionsService } from './sessions.service.js';

/** The longest `GET /reports/:id?wait=`: long enough to save polls, short of proxies' idle limits. */
const MAX_WAIT_SECONDS = 60;

/** Analysts' reports: request one from the catalogue, then read its state and noisy results. */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('analyst', 'auditor')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly runtime: SessionRuntime,
    private readonly sessions: SessionsService,
    private readonly catalogue: CatalogueService,
    private readonly transcript: TranscriptService,
    private readonly leases: SessionLeases,
    private readonly changes: SessionChanges,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: ReportDoc, description: 'The report, charged and queued' })
  @Roles('analyst')
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  async create(
    @Body() dto: CreateReportDto,
    @CurrentPrincipal() analyst: Principal,
  ): Promise<ReportResponse> {
    const session = await this.runtime.request(dto, analyst.name);
    return this.present(session.id);
  }

  @Get()
  @ApiOkResponse({ type: [ReportDoc], description: 'The latest reports, newest first' })
  @ApiQuery({
    name: 'limit',
    required: false,
    type: Number,
    description: 'How many reports, 1 to 100 (default 20)',
  })
  async list(
    @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number,
  ): Promise<ReportResponse[]> {
    const sessions = await this.sessions.list(Math.min(Math.max(limit, 1), 100));
    return Promise.all(sessions.map((s) => this.present(s.id)));
  }

  /**
   * `?values=false` leaves out the cell values (for polling a large report's progress).
   * `?estimates=true` adds each output's post-processed estimates beside its raw values.
   */
  @Get(':id')
  @ApiOkResponse({ type: ReportDoc })
  @ApiQuery({
    name: 'values',
    required: false,
    enum: ['true', 'false'],
    description: '`false` leaves out the cell values (default true)',
  })
  @ApiQuery({
    name: 'estimates',
    required: false,
    enum: ['true', 'false'],
    description:
      'Add outputs[].estimates: non-negative, margin-consistent post-processed estimates ' +
      '(no privacy cost; labelled; not the release). See docs/privacy.md.',
  })
  @ApiQuery({
    name: 'offset',
    required: false,
    type: Number,
    description: 'With limit: the first cell of the page (row-major over each output’s axes)',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    type: Number,
    description: `Page the cells: at most this many (1 to ${MAX_PAGE_CELLS.toLocaleString('en-US')}) of every output and derived ratio, from offset; the response then has page {offset, limit, cells}`,
  })
  @ApiQuery({
    name: 'wait',
    required: false,
    type: Number,
    description: `Seconds (1 to ${MAX_WAIT_SECONDS}) to hold the answer while the report is neither completed nor aborted: it comes as soon as the report finishes, or when the time is up with the report as it then stands (a long poll instead of polling)`,
  })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('values', new DefaultValuePipe('true')) values: string,
    @Query('estimates', new DefaultValuePipe('false')) estimates: string,
    @Query('offset', new ParseIntPipe({ optional: true })) offset?: number,
    @Query('limit', new ParseIntPipe({ optional: true })) limit?: number,
    @Query('wait', new ParseIntPipe({ optional: true })) wait?: number,
  ): Promise<ReportResponse> {
    if (wait !== undefined) {
      if (wait < 1 || wait > MAX_WAIT_SECONDS)
        throw new BadRequestException(`wait must be 1 to ${MAX_WAIT_SECONDS} seconds`);
      await this.untilFinished(id, wait * 1000);
    }
    const withValues = values !== 'false';
    if (limit === undefined) {
      if (offset !== undefined)
        throw new BadRequestException('offset pages the cells: give limit too');
      return this.present(id, withValues, withValues && estimates === 'true');
    }
    if (limit < 1 || limit > MAX_PAGE_CELLS || (offset ?? 0) < 0)
      throw new BadRequestException(
        `limit must be 1 to ${MAX_PAGE_CELLS.toLocaleString('en-US')} cells and offset at least 0`,
      );
    if (estimates === 'true' || !withValues)
      throw new BadRequestException(
        'a page carries values only: drop estimates=true or values=false, or drop offset and limit',
      );
    return pageOfReport(await this.present(id), offset ?? 0, limit);
  }

  /**
   * Returns when the report is completed or aborted, or after `ms`. Woken by this replica's
   * changes; a change another replica made is seen at the next look, every `RECHECK_MS`.
   */
  private async untilFinished(id: string, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    const finished = (state: string): boolean => state === 'completed' || state === 'aborted';
    let state: string = (await this.sessions.get(id)).state;
    for (;;) {
      const left = deadline - Date.now();
      if (finished(state) || left <= 0) return;
      // A change here says what the session moved to: only the periodic look reads the row.
      state =
        (await this.changes.next(id, Math.min(left, RECHECK_MS))) ??
        (await this.sessions.get(id)).state;
    }
  }

  private async present(id: string, withValues = true, estimates = false): Promise<ReportResponse> {
    const session = await this.sessions.get(id);
    const queued = session.admittedAt === null && session.state === 'created';
    const [outputs, seals, counts, position] = await Promise.all([
      withValues ? this.sessions.results(id) : Promise.resolve([]),
      this.sessions.seals(id),
      this.transcript.counts(id),
      queued ? this.leases.queuePosition(id) : Promise.resolve(null),
    ]);
    const report = presentReport(
      session,
      outputs,
      seals,
      this.catalogue.byHash(session.protocol.hash),
      counts,
      position,
    );
    // Post-processing of what was just presented: the raw values stay exactly as served.
    return estimates ? withEstimates(report, session.plan, session.protocol.id) : report;
  }
}
