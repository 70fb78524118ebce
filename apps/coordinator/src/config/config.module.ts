import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { CoordinatorConfig } from './coordinator-config.js';

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** Provides the validated configuration and the root logger to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: CoordinatorConfig, logger: Logger): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CoordinatorConfig, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
      ],
      exports: [CoordinatorConfig, ROOT_LOGGER],
    };
  }
}
