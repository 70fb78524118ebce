import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module.js';
import { TokenThrottlerGuard } from './auth/token-throttler.guard.js';
import { ConfigModule } from './config/config.module.js';
import type { CoordinatorConfig } from './config/coordinator-config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
import { InboundLimitsModule } from './inbound/inbound-limits.module.js';
import { JiffModule } from './jiff/jiff.module.js';
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
        ThrottlerModule.forRoot([
          { name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE },
        ]),
        InboundLimitsModule,
        AuthModule,
        JiffModule,
        SessionsModule,
      ],
      controllers: [HealthController],
      // Rate limits first, then authentication (both apply to every HTTP handler).
      providers: [{ provide: APP_GUARD, useClass: TokenThrottlerGuard }],
    };
  }
}
