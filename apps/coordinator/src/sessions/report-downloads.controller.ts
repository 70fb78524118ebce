import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { Roles } from '../auth/roles.decorator.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import { ApiReportDownload } from './docs/report-download.doc.js';
import { downloadFilename } from './download/download-filename.js';
import { releaseArrowStream } from './download/release-arrow.js';
import { releaseCsvChunks } from './download/release-csv.js';
import { assertDownloadable, releaseTable } from './download/release-table.js';
import { assertSealedRelease } from './download/sealed-release.js';
import { DownloadReportDto } from './dto/download-report.dto.js';
import { SessionsService } from './sessions.service.js';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  arrow: 'application/vnd.apache.arrow.stream',
} as const;

/**
 * A completed report's sealed release as a file (CSV or Arrow) for analysts of large reports:
 * the same values, intervals and levels as `GET /reports/:id`, streamed rather than built whole.
 */
@ApiTags('reports')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('analyst', 'auditor')
@Controller('reports')
export class ReportDownloadsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly transcript: TranscriptService,
  ) {}

  @Get(':id/download')
  @ApiReportDownload()
  async download(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DownloadReportDto,
  ): Promise<StreamableFile> {
    const session = await this.sessions.get(id);
    // Everything refusable (not released, not the sealed release, unknown output, int64
    // overflow) throws here, before the status line: once streaming starts, the answer is the file.
    assertDownloadable(session, query.output);
    const [stored, released, seals] = await Promise.all([
      this.sessions.storedRelease(id),
      this.transcript.releaseEntry(id),
      this.sessions.seals(id),
    ]);
    assertSealedRelease(session, stored, released, seals);
    const table = releaseTable(session, stored, query.output);
    const stream =
      query.format === 'csv' ? Readable.from(releaseCsvChunks(table)) : releaseArrowStream(table);
    const filename = downloadFilename(session.protocol.id, id, query.format, query.output);
    return new StreamableFile(stream, {
      type: CONTENT_TYPES[query.format],
      disposition: `attachment; filename="${filename}"`,
    });
  }
}
