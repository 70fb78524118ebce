import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  UnauthorizedException,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { type ConcordError, isConcordError } from '#concord/errors';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import type { CoordinatorErrorCode } from './coordinator-error.js';
import { type Problem, problem } from './problem.js';

/**
 * Every error that can leave an HTTP handler, mapped to its RFC 7807 problem in this one place.
 * Concord's own errors map by domain and code; the database being away is a 503 (retry later),
 * never a 500; anything else is a bug and says nothing about itself.
 */
export function problemOf(error: unknown): Problem {
  if (isDatabaseUnavailable(error)) {
    return problem(
      503,
      'database-unavailable',
      'The database is unavailable',
      'the coordinator cannot reach its database; retry shortly. A report request may or may not have been recorded: retry it with the same request id, which returns the same report if it was',
    );
  }
  if (isConcordError(error)) return concordProblem(error);
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
  return internal();
}

function concordProblem(error: ConcordError): Problem {
  switch (error.domain) {
    case 'coordinator':
      return coordinatorProblem(
        error.code as CoordinatorErrorCode | 'stale-session',
        error.message,
      );
    case 'protocol':
      return problem(422, error.code, 'The request does not fit the protocol', error.message);
    // Parameters of a request that the privacy or field arithmetic cannot serve (a budget of
    // zero, noise too small for the field…): the request is wrong, not the coordinator.
    case 'dp':
    case 'accounting':
    case 'field':
      return problem(422, error.code, 'The request’s parameters cannot be served', error.message);
    case 'wire':
      return problem(400, error.code, 'The request is invalid', error.message);
    default:
      return internal();
  }
}

function coordinatorProblem(code: CoordinatorErrorCode | 'stale-session', detail: string): Problem {
  switch (code) {
    case 'not-found':
      return problem(404, code, 'Not found', detail);
    case 'unknown-protocol':
      return problem(404, code, 'Unknown protocol', detail);
    case 'agencies-not-registered':
      return problem(503, code, 'The consortium is not registered', detail);
    case 'budget-exhausted':
      return problem(409, code, 'Privacy budget exhausted', detail);
    case 'conflict':
    case 'stale-session':
      return problem(409, 'conflict', 'Conflict', detail);
    case 'idempotency-conflict':
      return problem(409, code, 'The request id was already used for another request', detail);
    case 'invalid-request':
      return problem(400, code, 'The request is invalid', detail);
    case 'not-released':
      return problem(409, code, 'The report has no sealed release', detail);
    case 'unavailable':
      return problem(503, code, 'Unavailable', detail);
    case 'rate-limited':
      return problem(429, code, 'Too many requests', detail);
    // The request is well-formed but cannot be served from the data the agencies hold; nothing
    // was charged. 422, as for any request that does not fit what the consortium can compute.
    case 'no-data-for-date':
      return problem(422, code, 'No data for the requested date', detail);
  }
}

function internal(): Problem {
  return problem(
    500,
    'internal-error',
    'Internal error',
    'The coordinator failed to handle this request.',
  );
}
