import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { Roles } from '../auth/roles.decorator.js';
import { AgenciesService } from '../agencies/agencies.service.js';
import { NodePresence } from '../gateway/node-presence.js';
import { AgencyStatusDoc } from './docs/agency-status.doc.js';

export interface AgencyStatus {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly party: number;
  readonly identityKey: string;
  readonly connected: boolean;
}

/** The registered agencies, their pinned keys and whether their node is connected now. */
@ApiTags('operations')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('analyst', 'auditor')
@Controller('agencies')
export class AgenciesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly presence: NodePresence,
  ) {}

  @Get()
  @ApiOkResponse({ type: [AgencyStatusDoc] })
  list(): AgencyStatus[] {
    return [1, 2, 3].flatMap((p) => {
      const a = this.agencies.byParty(p);
      return a
        ? [
            {
              id: a.id,
              name: a.name,
              role: a.role,
              party: a.party,
              identityKey: Buffer.from(a.identityKey).toString('hex'),
              connected: this.presence.isConnected(a.party),
            },
          ]
        : [];
    });
  }
}
