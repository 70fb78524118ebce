import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '../auth/roles.decorator.js';
import { CoordinatorMetrics } from './coordinator-metrics.js';

/**
 * GET /metrics in the Prometheus text format, for a scraper: no token (scrapers rarely carry
 * one; restrict it at the network edge) and no rate limit (a scrape every few seconds is normal).
 * It shows counts, durations and codes only, never an identifier or a value of any session.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: CoordinatorMetrics) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() res: Response): Promise<void> {
    const text = await this.metrics.registry.metrics();
    res.type(this.metrics.registry.contentType).send(text);
  }
}
