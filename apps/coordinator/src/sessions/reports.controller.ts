import {
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
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { CreateReportDto } from './dto/create-report.dto.js';
import { presentReport, type ReportResponse } from './report.presenter.js';
import { SessionOrchestrator } from './session-orchestrator.service.js';
import { SessionsService } from './sessions.service.js';

/** Analysts' reports: request one from the catalogue, then read its state and noisy results. */
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly orchestrator: SessionOrchestrator,
    private readonly sessions: SessionsService,
    private readonly catalogue: CatalogueService,
  ) {}

  @Post()
  @HttpCode(202)
  async create(@Body() dto: CreateReportDto): Promise<ReportResponse> {
    const session = await this.orchestrator.request(dto, 'anonymous');
    return this.present(session.id);
  }

  @Get()
  async list(
    @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number,
  ): Promise<ReportResponse[]> {
    const sessions = await this.sessions.list(Math.min(Math.max(limit, 1), 100));
    return Promise.all(sessions.map((s) => this.present(s.id)));
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<ReportResponse> {
    return this.present(id);
  }

  private async present(id: string): Promise<ReportResponse> {
    const session = await this.sessions.get(id);
    const [outputs, seals] = await Promise.all([
      this.sessions.results(id),
      this.sessions.seals(id),
    ]);
    return presentReport(session, outputs, seals, this.catalogue.byHash(session.protocol.hash));
  }
}
