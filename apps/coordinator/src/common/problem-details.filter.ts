import {
  type ArgumentsHost,
  ForbiddenException,
  UnauthorizedException,
  BadRequestException,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { ProtocolError } from '#concord/protocol';
import { CoordinatorError, type CoordinatorErrorCode } from './coordinator-error.js';
import { type Problem, problem } from './problem.js';

/**
 * Translates every error leaving a controller into an RFC 7807 problem document, once, here.
 * Unexpected errors become a 500 with no internal detail in the body.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = { ...this.toProblem(error), instance: request.originalUrl };
    if (body.status >= 500)
      this.logger.error(`${request.method} ${request.originalUrl} failed: ${describe(error)}`);
    response.status(body.status).type('application/problem+json').json(body);
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof CoordinatorError)
      return problem(statusOf(error.code), error.code, titleOf(error.code), error.message);
    if (error instanceof ProtocolError)
      return problem(422, error.code, 'The request does not fit the protocol', error.message);
    if (error instanceof BadRequestException) {
      const res = error.getResponse() as { message?: unknown };
      const issues = Array.isArray(res.message)
        ? res.message.map(String)
        : [typeof res.message === 'string' ? res.message : error.message];
      return problem(400, 'invalid-request', 'The request is invalid', issues.join('; '), issues);
    }
    if (error instanceof ThrottlerException) {
      return problem(
        429,
        'rate-limited',
        'Too many requests',
        'the rate limit for this token was reached; retry later',
      );
    }
    if (error instanceof UnauthorizedException)
      return problem(401, 'unauthorized', 'Unauthorized', error.message);
    if (error instanceof ForbiddenException)
      return problem(403, 'forbidden', 'Forbidden', error.message);
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return problem(status, `http-${status}`, error.message, error.message);
    }
    return problem(
      500,
      'internal-error',
      'Internal error',
      'The coordinator failed to handle this request.',
    );
  }
}

function statusOf(code: CoordinatorErrorCode): number {
  switch (code) {
    case 'not-found':
    case 'unknown-protocol':
      return 404;
    case 'agencies-not-registered':
      return 503;
    case 'budget-exhausted':
    case 'conflict':
    case 'idempotency-conflict':
      return 409;
    case 'invalid-request':
      return 400;
  }
}

function titleOf(code: CoordinatorErrorCode): string {
  switch (code) {
    case 'not-found':
      return 'Not found';
    case 'unknown-protocol':
      return 'Unknown protocol';
    case 'agencies-not-registered':
      return 'The consortium is not registered';
    case 'budget-exhausted':
      return 'Privacy budget exhausted';
    case 'conflict':
      return 'Conflict';
    case 'idempotency-conflict':
      return 'The request id was already used for another request';
    case 'invalid-request':
      return 'The request is invalid';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
