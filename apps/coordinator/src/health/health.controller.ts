import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { LivenessDoc, ReadinessDoc } from './docs/health.doc.js';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator.js';
import { ReadinessChecks } from './readiness-checks.js';

/**
 * Probes for an orchestrator, unauthenticated and never rate-limited (docs/operations.md):
 * liveness says the process and its event loop answer (no I/O: restart me if this fails);
 * readiness says it can serve requests now (send me traffic only if this passes).
 */
@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ReadinessChecks,
  ) {}

  /** Liveness, kept at the old address (it used to query the database too). */
  @Get()
  @ApiOkResponse({ type: LivenessDoc, description: 'the process is up and its event loop answers' })
  root(): { status: 'ok' } {
    return this.live();
  }

  @Get('live')
  @ApiOkResponse({ type: LivenessDoc, description: 'the process is up and its event loop answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 200 with each check's result, or 503 (Retry-After) with the same details. */
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ type: ReadinessDoc, description: 'ready: every check passed' })
  @ApiServiceUnavailableResponse({
    type: ReadinessDoc,
    description: 'a dependency is down; details per check',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    const redis = this.checks.redisPing();
    try {
      return await this.health.check([
        () => this.checks.database(),
        () => this.checks.migrations(),
        ...(redis ? [() => redis] : []),
      ]);
    } catch (e) {
      // Terminus's own answer, not a problem document: probes and dashboards read its shape.
      if (!(e instanceof ServiceUnavailableException)) throw e;
      response.status(503).setHeader('Retry-After', '5');
      return e.getResponse() as HealthCheckResult;
    }
  }
}
