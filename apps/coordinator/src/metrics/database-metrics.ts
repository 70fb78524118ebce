import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { SessionEntity } from '#concord/persistence';
import { CoordinatorMetrics, type DatabaseReadings } from './coordinator-metrics.js';

/**
 * Feeds the database-backed gauges: sessions by state (one grouped count per scrape, on the state
 * index) and the connection pool. Both the real PostgreSQL and the embedded PGlite are reached
 * through the pg driver's pool (PGlite's with one connection), so the pool figures are true for
 * either. A scrape while the database is away shows no session counts rather than failing.
 */
@Injectable()
export class DatabaseMetrics implements DatabaseReadings {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    metrics: CoordinatorMetrics,
  ) {
    metrics.readDatabaseWith(this);
  }

  async sessionsByState(): Promise<ReadonlyMap<string, number>> {
    try {
      const rows = await this.db
        .getRepository(SessionEntity)
        .createQueryBuilder('s')
        .select('s.state', 'state')
        .addSelect('COUNT(*)', 'n')
        .groupBy('s.state')
        .getRawMany<{ state: string; n: string }>();
      return new Map(rows.map((r) => [r.state, Number(r.n)]));
    } catch {
      return new Map();
    }
  }

  pool(): { total: number; idle: number; waiting: number; max: number } | undefined {
    const pool = (this.db.driver as { master?: Pool }).master;
    if (!pool || typeof pool.totalCount !== 'number') return undefined;
    return {
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: pool.options.max ?? 10,
    };
  }
}
