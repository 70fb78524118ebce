import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { IssuedTokenDoc, TokenSummaryDoc } from './docs/tokens.doc.js';
import { IssueTokenDto } from './dto/issue-token.dto.js';
import type { Principal } from './principal.js';
import { Roles } from './roles.decorator.js';
import { type IssuedToken, type TokenSummary, TokensService } from './tokens.service.js';

/**
 * Admins issue (with an expiry), list (never the secret) and revoke analysts', auditors' and
 * other admins' tokens. Revocation takes effect on the next request, on every replica.
 */
@ApiTags('admin')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('admin')
@Controller('admin/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiCreatedResponse({
    type: IssuedTokenDoc,
    description: 'The new token, with its secret (shown this once)',
  })
  issue(@Body() dto: IssueTokenDto, @CurrentPrincipal() admin: Principal): Promise<IssuedToken> {
    return this.tokens.issue(dto.name, dto.role, admin.name, dto.expiresIn);
  }

  @Get()
  @ApiOkResponse({ type: [TokenSummaryDoc], description: 'Every token, never its secret' })
  list(): Promise<TokenSummary[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: refused from the next request on' })
  revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.tokens.revoke(id);
  }
}
