import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeError } from '#concord/errors';
import { requestIdOf } from '../logging/request-id.js';
import type { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { RateLimitedError } from './coordinator-error.js';
import { problemOf } from './error-mapping.js';
import type { Problem } from './problem.js';

/**
 * Translates every error leaving a controller into an RFC 7807 problem document (`problemOf`).
 * Unexpected errors become a 500 with no internal detail in the body; they are logged. Every
 * problem carries the request's id (`requestId`), so a caller can quote it and an operator find
 * the access log line and any error logged for it.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  /** `metrics`, when given, counts every problem answered by code and status. */
  constructor(private readonly metrics?: CoordinatorMetrics) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = requestIdOf(request);
    const body: Problem = {
      ...problemOf(error),
      instance: request.originalUrl,
      ...(requestId ? { requestId } : {}),
    };
    this.metrics?.httpError(body.code, body.status);
    if (body.status >= 500)
      this.logger.error(
        `${request.method} ${request.originalUrl} failed (request ${requestId ?? 'without id'}): ${describeError(error)}`,
      );
    if (body.status === 503) response.setHeader('Retry-After', '5');
    if (error instanceof RateLimitedError)
      response.setHeader('Retry-After', String(Math.max(1, error.retryAfterSeconds)));
    response.status(body.status).type('application/problem+json').json(body);
  }
}
