import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type DataSource, MigrationExecutor } from 'typeorm';
import { describeError } from '#concord/errors';
import { ROOT_LOGGER } from '../config/config.module.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';

/** Every readiness check answers within this, or its dependency counts as down. */
export const READINESS_TIMEOUT_MS = 1_000;

/**
 * What the coordinator needs to serve requests, each checked by one terminus indicator: its
 * database answers, every known migration is applied, and Redis answers when REDIS_URL is set.
 * A failed check says why in a word (an error code, a timeout), never an address or a URL: the
 * readiness endpoint is unauthenticated.
 */
@Injectable()
export class ReadinessChecks implements OnApplicationShutdown {
  private readonly redis: Redis | undefined;
  /** Set once every migration was seen applied: migrations are never undone under a running process. */
  private migrationsApplied = false;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly db: DataSource,
    config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    if (config.REDIS_URL) {
      this.redis = new Redis(config.REDIS_URL, {
        lazyConnect: true,
        connectTimeout: READINESS_TIMEOUT_MS,
        // A ping while disconnected fails at once instead of queueing until the timeout.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        // The ping is the check; no INFO round trip before it.
        enableReadyCheck: false,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      });
      // ioredis reports each failed reconnection; readiness already says Redis is down.
      this.redis.on('error', (e: unknown) =>
        logger.debug({ err: describeError(e) }, 'redis (readiness) unavailable'),
      );
    }
  }

  database() {
    return this.indicators
      .check('database')
      .attempt(() => quietly(this.db.query('SELECT 1')))
      .withTimeout(READINESS_TIMEOUT_MS);
  }

  migrations() {
    return this.indicators
      .check('migrations')
      .attempt(async () => {
        if (this.migrationsApplied) return;
        const pending = await quietly(new MigrationExecutor(this.db).getPendingMigrations());
        if (pending.length > 0)
          throw new Error(`pending: ${pending.map((m) => m.name).join(', ')}`);
        this.migrationsApplied = true;
      })
      .withTimeout(READINESS_TIMEOUT_MS);
  }

  /** Undefined when no REDIS_URL is configured. */
  redisPing() {
    const redis = this.redis;
    if (!redis) return undefined;
    return this.indicators
      .check('redis')
      .attempt(async () => {
        if (redis.status === 'wait' || redis.status === 'end') await quietly(redis.connect());
        await quietly(redis.ping());
      })
      .withTimeout(READINESS_TIMEOUT_MS);
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}

/** Rethrows a dependency's failure as its error code alone (no host, port or URL). */
async function quietly<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new Error(
      typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code) ? code : 'unavailable',
    );
  }
}
