import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { Clock, SystemClock } from './clock.js';
import { CoordinatorConfig } from './coordinator-config.js';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Provides the validated configuration, the root logger and the clock to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: CoordinatorConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CoordinatorConfig, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: Clock, useClass: SystemClock },
      ],
      exports: [CoordinatorConfig, ROOT_LOGGER, Clock],
    };
  }
}
