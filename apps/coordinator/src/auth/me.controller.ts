import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from './current-principal.decorator.js';
import type { Principal } from './principal.js';
import { Roles } from './roles.decorator.js';

/** Who the bearer token stands for (the dashboard shows it and picks its views by role). */
@ApiTags('auth')
@ApiBearerAuth()
@Roles('analyst', 'auditor')
@Controller('me')
export class MeController {
  @Get()
  me(@CurrentPrincipal() who: Principal): { name: string; role: string } {
    return { name: who.name, role: who.role };
  }
}
