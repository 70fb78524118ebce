import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { SessionEntity } from '#concord/persistence';
import { CoordinatorMetrics, type DatabaseReadings } from './coordinator-metrics.js';

const SESSIONS_QUERY_BOUND_MS = 2_000;

/**
 * Feeds the database-backed gauges: sessions by state (one grouped count per scrape, on the state
 * index) and the connection pool. Both the real PostgreSQL and the embedded PGlite are reached
 * through the pg driver's pool (PGlite's with one connection), so the pool figures are true for
 * either. A scrape while the database is away or busy shows no session counts rather than failing.
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
    const query = this.db
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      // A `created` session not admitted yet is counted as `queued`: the queue's length.
      .select(`CASE WHEN s.admitted_at IS NULL THEN 'queued' ELSE s.state END`, 'state')
      .addSelect('COUNT(*)', 'n')
      .groupBy('1')
      .getRawMany<{ state: string; n: string }>()
      .then((rows) => new Map(rows.map((r) => [r.state, Number(r.n)])));
    let timer: NodeJS.Timeout | undefined;
    // A busy pool or an unreachable database must not hold the whole scrape (it is when the
    // other metrics matter most): past the bound the counts are left out of this scrape.
    const late = new Promise<ReadonlyMap<string, number>>((resolve) => {
      timer = setTimeout(() => resolve(new Map()), SESSIONS_QUERY_BOUND_MS);
      timer.unref();
    });
    try {
      return await Promise.race([query, late]);
    } catch {
      return new Map();
    } finally {
      clearTimeout(timer);
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
