import { Global, Module } from '@nestjs/common';
import { CoordinatorMetrics } from './coordinator-metrics.js';
import { DatabaseMetrics } from './database-metrics.js';
import { MetricsController } from './metrics.controller.js';

/** The coordinator's metrics registry (global: any module may record or add metrics) and GET /metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [CoordinatorMetrics, DatabaseMetrics],
  exports: [CoordinatorMetrics],
})
export class MetricsModule {}
