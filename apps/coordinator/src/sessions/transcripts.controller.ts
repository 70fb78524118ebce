import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import {
  type AuditReport,
  type TranscriptExportFile,
  verifyTranscriptExport,
} from '#concord/audit';
import type { TranscriptEntry } from '#concord/transcript';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import { type SessionSeal, SessionsService } from './sessions.service.js';

/** The export auditors verify offline (docs/security.md, "Auditing a session"). */
export interface TranscriptExport {
  readonly format: 'concord-transcript/1';
  readonly sessionId: string;
  readonly state: string;
  readonly protocol: { readonly id: string; readonly version: string; readonly hash: string };
  readonly planHash: string;
  readonly plan: unknown;
  readonly entries: readonly TranscriptEntry[];
  readonly seals: readonly SessionSeal[];
  /** Informational: auditors verify against their own pinned consortium file. */
  readonly agencies: readonly {
    readonly id: string;
    readonly party: number;
    readonly identityKey: string;
  }[];
}

@ApiTags('auditors')
@ApiBearerAuth()
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
   * The coordinator's own check of a transcript, with its pinned keys and catalogue (for the API
   * and the dashboard; auditors run `concord audit verify` with theirs).
   */
  @Get(':id/verification')
  async verification(@Param('id', new ParseUUIDPipe()) id: string): Promise<AuditReport> {
    const exported = await this.transcriptOf(id);
    const agencies = [1, 2, 3].flatMap((p) => {
      const a = this.agencies.byParty(p);
      return a
        ? [{ id: a.id, name: a.name, role: a.role, party: a.party, identityKey: a.identityKey }]
        : [];
    });
    return verifyTranscriptExport(
      exported as unknown as TranscriptExportFile,
      { name: 'pinned', agencies },
      this.catalogue.catalogue,
    );
  }

  @Get(':id/transcript')
  async transcriptOf(@Param('id', new ParseUUIDPipe()) id: string): Promise<TranscriptExport> {
    const session = await this.sessions.get(id);
    const [entries, seals] = await Promise.all([
      this.transcript.entries(id),
      this.sessions.seals(id),
    ]);
    return {
      format: 'concord-transcript/1',
      sessionId: id,
      state: session.state,
      protocol: {
        id: session.protocol.id,
        version: session.protocol.version,
        hash: session.protocol.hash,
      },
      planHash: session.planHash,
      plan: session.plan,
      entries,
      seals,
      agencies: [1, 2, 3].flatMap((p) => {
        const a = this.agencies.byParty(p);
        return a
          ? [{ id: a.id, party: a.party, identityKey: Buffer.from(a.identityKey).toString('hex') }]
          : [];
      }),
    };
  }
}
