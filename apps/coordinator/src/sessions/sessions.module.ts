import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { CatalogueModule } from '../catalogue/catalogue.module.js';
import { ReplicaLink } from '../cluster/replica-link.js';
import { AgencyNodesGateway } from '../gateway/agency-nodes.gateway.js';
import { NodePresence } from '../gateway/node-presence.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TranscriptModule } from '../transcript/transcript.module.js';
import { AgenciesController } from './agencies.controller.js';
import { CoverageController } from './coverage.controller.js';
import { ReportDownloadsController } from './report-downloads.controller.js';
import { ReportsController } from './reports.controller.js';
import { SessionLeases } from './session-leases.js';
import { SessionRuntime } from './session-runtime.service.js';
import { SessionChanges } from './session-changes.js';
import { SessionStore } from './session-store.js';
import { SessionsService } from './sessions.service.js';
import { TranscriptsController } from './transcripts.controller.js';

@Module({
  imports: [AgenciesModule, CatalogueModule, LedgerModule, TranscriptModule],
  controllers: [
    ReportsController,
    ReportDownloadsController,
    TranscriptsController,
    AgenciesController,
    CoverageController,
  ],
  providers: [
    SessionsService,
    SessionLeases,
    SessionStore,
    SessionChanges,
    SessionRuntime,
    NodePresence,
    ReplicaLink,
    AgencyNodesGateway,
  ],
})
export class SessionsModule {}
