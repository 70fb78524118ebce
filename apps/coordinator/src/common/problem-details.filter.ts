import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeError } from '#concord/errors';
import { RateLimitedError } from './coordinator-error.js';
import { problemOf } from './error-mapping.js';

/**
 * Translates every error leaving a controller into an RFC 7807 problem document (`problemOf`).
 * Unexpected errors become a 500 with no internal detail in the body; they are logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = { ...problemOf(error), instance: request.originalUrl };
    if (body.status >= 500)
      this.logger.error(`${request.method} ${request.originalUrl} failed: ${describeError(error)}`);
    if (body.status === 503) response.setHeader('Retry-After', '5');
    if (error instanceof RateLimitedError)
      response.setHeader('Retry-After', String(Math.max(1, error.retryAfterSeconds)));
    response.status(body.status).type('application/problem+json').json(body);
  }
}
