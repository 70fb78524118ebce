import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { ConfigModule } from './config/config.module.js';
import type { CoordinatorConfig } from './config/coordinator-config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthController } from './health/health.controller.js';
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
        SessionsModule,
      ],
      controllers: [HealthController],
    };
  }
}
