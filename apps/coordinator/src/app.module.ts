import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module.js';
import { RedisThrottlerStorage } from './cluster/redis-throttler.storage.js';
import { TokenThrottlerGuard } from './auth/token-throttler.guard.js';
import { ConfigModule } from './config/config.module.js';
import type { CoordinatorConfig } from './config/coordinator-config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { InboundLimitsModule } from './inbound/inbound-limits.module.js';
import { JiffModule } from './jiff/jiff.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SessionsModule } from './sessions/sessions.module.js';

@Module({})
export class AppModule {
  static create(
    config: CoordinatorConfig,
    logger: Logger,
    database: { url: string; poolSize: number },
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        DatabaseModule.forUrl(database.url, database.poolSize),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
          // Several replicas count in Redis; one replica counts in its memory.
          ...(config.REDIS_URL
            ? {
                storage: new RedisThrottlerStorage(
                  config.REDIS_URL,
                  config.REDIS_KEY_PREFIX,
                  (trouble) =>
                    logger.warn({ err: trouble }, 'Redis unreachable; rate limits count locally'),
                ),
              }
            : {}),
        }),
        InboundLimitsModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        JiffModule,
        SessionsModule,
      ],
      // Rate limits first, then authentication (both apply to every HTTP handler).
      providers: [{ provide: APP_GUARD, useClass: TokenThrottlerGuard }],
    };
  }
}
