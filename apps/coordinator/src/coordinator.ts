import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import {
  dataSourceOptions,
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from '#concord/persistence';
import { AppModule } from './app.module.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import type { CoordinatorConfig } from './config/coordinator-config.js';
import { createLogger, PinoNestLogger } from './logging/logger.js';

export interface RunningCoordinator {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Boots the coordinator: picks the database (PostgreSQL from DATABASE_URL, else embedded PGlite
 * in a worker thread), applies pending migrations, then starts the HTTP API and the socket.io
 * gateway on one port.
 */
export async function startCoordinator(config: CoordinatorConfig): Promise<RunningCoordinator> {
  const logger = createLogger(config.LOG_LEVEL);
  let embedded: EmbeddedPostgres | undefined;
  let database: { url: string; poolSize: number };
  if (config.DATABASE_URL) {
    database = { url: config.DATABASE_URL, poolSize: 10 };
  } else {
    const dataDir = config.EMBEDDED_DB === 'disk' ? resolve(config.DATA_DIR, 'pglite') : undefined;
    if (dataDir) mkdirSync(resolve(config.DATA_DIR), { recursive: true });
    embedded = await startEmbeddedPostgres({ dataDir, mode: 'worker' });
    // The embedded server takes one client at a time, so the pool holds one connection.
    database = { url: embedded.url, poolSize: 1 };
    logger.info({ dataDir: dataDir ?? 'memory' }, 'embedded PostgreSQL (PGlite) started');
  }
  try {
    await migrate(database.url);
    const app = await NestFactory.create<NestExpressApplication>(
      AppModule.create(config, logger, database),
      {
        logger: new PinoNestLogger(logger),
        bodyParser: false,
      },
    );
    app.useBodyParser('json', { limit: '64kb' });
    app.useGlobalPipes(
      new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    );
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.enableShutdownHooks();
    await app.listen(config.PORT, config.HOST);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST}:${port}`;
    logger.info({ url }, 'coordinator listening');
    return {
      url,
      async close() {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

async function migrate(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, { poolSize: 1 }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
