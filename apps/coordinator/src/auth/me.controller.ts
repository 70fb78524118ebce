import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { MeDoc } from './docs/tokens.doc.js';
import type { Principal } from './principal.js';
import { Roles } from './roles.decorator.js';

/** Who the bearer token stands for (the dashboard shows it and picks its views by role). */
@ApiTags('auth')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('analyst', 'auditor')
@Controller('me')
export class MeController {
  @Get()
  @ApiOkResponse({ type: MeDoc, description: 'The name and role the token stands for' })
  me(@CurrentPrincipal() who: Principal): { name: string; role: string } {
    return { name: who.name, role: who.role };
  }
}
