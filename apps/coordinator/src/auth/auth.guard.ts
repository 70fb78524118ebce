import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/config.module.js';
import { requestIdOf } from '../logging/request-id.js';
import { RateLimitedError } from '../common/coordinator-error.js';
import { FailedAttempts } from '../inbound/failed-attempts.js';
import type { Principal, Role } from './principal.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';
import { TokensService } from './tokens.service.js';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * Every HTTP handler needs a bearer token with one of its roles, unless marked @Public. Admins
 * pass every role check. Runs before validation, so an anonymous caller learns nothing about a
 * request's shape.
 *
 * A failed sign-in (a malformed Authorization header, or a token that is unknown, revoked,
 * expired or of the wrong length) is logged at warn with the client address, the request id and a reason code:
 * never the header or the token, which carries no public part worth quoting. A request with no
 * token at all is logged at debug only (a browser before sign-in).
 * Such a request also counts as a failed attempt of its client address; an address past its
 * limit is refused (429) before its token is looked up.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly failures: FailedAttempts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const address = request.ip ?? 'unknown';
    const wait = this.failures.retryAfter('http', address);
    if (wait > 0) throw refused(wait);
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    const outcome = match ? await this.tokens.authenticate(match[1]) : undefined;
    if (outcome === undefined || 'refused' in outcome) {
      const reason = outcome ? outcome.refused : header ? 'malformed-header' : 'no-token';
      this.logger[reason === 'no-token' ? 'debug' : 'warn'](
        { reason, address: request.ip, requestId: requestIdOf(request) },
        'sign-in refused',
      );
      const blocked = await this.failures.fail('http', address);
      if (blocked > 0) throw refused(blocked);
      throw new UnauthorizedException(outcome?.message ?? 'a valid bearer token is required');
    }
    const { principal } = outcome;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ForbiddenException(`this needs the role ${roles.join(' or ') || 'admin'}`);
    }
    request.principal = principal;
    return true;
  }
}

function refused(seconds: number): RateLimitedError {
  return new RateLimitedError(
    `too many requests without a valid token from this address; retry in ${seconds} s`,
    seconds,
  );
}
