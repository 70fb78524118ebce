import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { Roles } from '../auth/roles.decorator.js';
import { type AuditReport, verifyTranscriptExport } from '#concord/audit';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import type { Agency } from '../agencies/agency.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import { TranscriptExportDoc } from './docs/transcript-export.doc.js';
import { VerificationDoc } from './docs/verification.doc.js';
import { SessionsService } from './sessions.service.js';
import { buildTranscriptExport, type TranscriptExport } from './transcript-export.js';

@ApiTags('auditors')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('auditor', 'analyst')
@Controller('sessions')
export class TranscriptsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly transcript: TranscriptService,
    private readonly agencies: AgenciesService,
    private readonly catalogue: CatalogueService,
  ) {}

  /**
   * The offline verifier run by the coordinator over the very export it serves, with its pinned
   * keys and catalogue (for the API and the dashboard; auditors run `concord audit verify` with
   * theirs). The release it checks is what the database holds and `GET /reports/:id` serves.
   */
  @Get(':id/verification')
  @ApiOkResponse({
    type: VerificationDoc,
    description: 'The offline verifier’s verdict on the export below',
  })
  async verification(@Param('id', new ParseUUIDPipe()) id: string): Promise<AuditReport> {
    const exported = await this.transcriptOf(id);
    return verifyTranscriptExport(exported, this.agencies.consortium(), this.catalogue.catalogue);
  }

  @Get(':id/transcript')
  @ApiOkResponse({
    type: TranscriptExportDoc,
    description: 'The file `concord audit verify` reads',
  })
  async transcriptOf(@Param('id', new ParseUUIDPipe()) id: string): Promise<TranscriptExport> {
    const session = await this.sessions.get(id);
    const [entries, seals, stored] = await Promise.all([
      this.transcript.entries(id),
      this.sessions.seals(id),
      this.sessions.storedRelease(id),
    ]);
    return buildTranscriptExport({ session, entries, seals, stored, agencies: this.pinned() });
  }

  /** The agencies whose keys the coordinator pinned from its consortium file. */
  private pinned(): Agency[] {
    return [1, 2, 3].flatMap((p) => this.agencies.byParty(p) ?? []);
  }
}
