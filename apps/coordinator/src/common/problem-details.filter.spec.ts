import type { ArgumentsHost } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { CoordinatorError } from './coordinator-error.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import type { Problem } from './problem.js';

/** Runs the filter on `error` as if a POST /reports had thrown it; returns the response sent. */
function respond(
  error: unknown,
  requestId: string | null = 'req-42',
  metrics?: CoordinatorMetrics,
): { status: number; type: string; body: Problem } {
  const sent = { status: 0, type: '', body: undefined as unknown as Problem };
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    type(type: string) {
      sent.type = type;
      return response;
    },
    json(body: Problem) {
      sent.body = body;
      return response;
    },
  };
  const host = {
    switchToHttp: () => ({
      getRequest: () => ({
        method: 'POST',
        originalUrl: '/reports',
        requestId: requestId ?? undefined,
      }),
      getResponse: () => response,
    }),
  } as unknown as ArgumentsHost;
  new ProblemDetailsFilter(metrics).catch(error, host);
  return sent;
}

describe('ProblemDetailsFilter', () => {
  it('answers an idempotency conflict with a 409 problem of its own code', () => {
    const sent = respond(
      new CoordinatorError('idempotency-conflict', 'request id r-1 was already used'),
    );
    expect(sent.status).toBe(409);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toMatchObject({
      type: 'https://concord.example/problems/idempotency-conflict',
      status: 409,
      code: 'idempotency-conflict',
      detail: 'request id r-1 was already used',
      instance: '/reports',
      requestId: 'req-42',
    });
  });

  it('repeats the request id in every problem, a 500 included, and omits it when there is none', () => {
    expect(respond(new TypeError('bug'), 'abc-1').body).toMatchObject({
      status: 500,
      requestId: 'abc-1',
    });
    expect(respond(new CoordinatorError('not-found', 'x'), null).body).not.toHaveProperty(
      'requestId',
    );
  });

  it('keeps budget exhaustion a 409 of its own code', () => {
    expect(respond(new CoordinatorError('budget-exhausted', 'full')).body).toMatchObject({
      status: 409,
      code: 'budget-exhausted',
    });
  });

  it('counts each problem it answers by code and status', async () => {
    const metrics = new CoordinatorMetrics();
    respond(new CoordinatorError('budget-exhausted', 'full'), 'r', metrics);
    respond(new CoordinatorError('budget-exhausted', 'full again'), 'r', metrics);
    respond(new CoordinatorError('not-found', 'no session s'), 'r', metrics);
    const text = await metrics.registry.getSingleMetricAsString('concord_http_errors_total');
    expect(text).toContain('concord_http_errors_total{code="budget-exhausted",status="409"} 2');
    expect(text).toContain('concord_http_errors_total{code="not-found",status="404"} 1');
  });
});
