import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ConcordError } from '#concord/errors';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { CoordinatorError } from '../common/coordinator-error.js';

/** States of a session that is not over (admitted or not). */
const UNFINISHED = `('created', 'inviting', 'running', 'sealing')`;

/**
 * Serialises admission across replicas for the length of one transaction (an arbitrary constant,
 * distinct from the migration lock in coordinator.ts).
 */
const ADMISSION_LOCK = 720_261_204;

/**
 * The queue, fairly ordered: each analyst's requests are numbered in arrival order (`turn`), and
 * the queue is served turn by turn, so one analyst's burst of fifty requests does not hold back
 * another analyst's single one.
 */
const FAIR_QUEUE = `
  SELECT id, created_at, ROW_NUMBER() OVER (PARTITION BY requested_by ORDER BY created_at, id) AS turn
  FROM sessions WHERE admitted_at IS NULL AND state = 'created'`;

/**
 * A replica frozen in the middle of a transaction (SIGSTOP, a VM pause) would hold its row and
 * advisory locks for as long as it is frozen, and no other replica could take its sessions over:
 * PostgreSQL ends such a transaction after this long idle. Set per transaction (`SET LOCAL`).
 */
const UNSTICK = `SET LOCAL idle_in_transaction_session_timeout = '5s'`;
/**
 * The same setting as an expression (`set_config(…, true)` is `SET LOCAL`), for a statement that
 * must set it and do its work in one round trip: every session write begins with the fence.
 */
const UNSTICK_EXPRESSION = `set_config('idle_in_transaction_session_timeout', '5s', true) IS NOT NULL`;

export interface AdmissionRound {
  /** Every unfinished session this replica owns, in admission order. */
  readonly owned: readonly string[];
  /** The sessions this round admitted from the queue, with the time each waited there. */
  readonly admitted: readonly { readonly id: string; readonly waitedSeconds: number }[];
}

/** The rows of an `UPDATE … RETURNING` (TypeORM's pg runner answers `[rows, count]`). */
function returnedRows<Row>(result: unknown): Row[] {
  if (Array.isArray(result) && Array.isArray(result[0])) return result[0] as Row[];
  return Array.isArray(result) ? (result as Row[]) : [];
}

/** How stale a queue position may be (the dashboard polls about once a second). */
const QUEUE_SNAPSHOT_MS = 500;

/** Another replica claimed the session after this one's lease on it lapsed. */
export class LeaseLostError extends ConcordError<'lease-lost'> {
  readonly domain = 'coordinator';
  constructor(sessionId: string, replica: string) {
    super('lease-lost', `replica ${replica} no longer holds the lease on session ${sessionId}`);
  }
}

/**
 * Which coordinator replica runs which session, in PostgreSQL so that replicas sharing one
 * database agree without talking to each other. A session is admitted from the queue while fewer
 * than MAX_RUNNING_SESSIONS run (cluster-wide); its owner renews a lease on it by heartbeat and
 * fences every write with it; when an owner stops renewing (killed, stalled, cut off from the
 * database) the lease lapses and the next replica to look claims the session and resumes it from
 * its durable record. Times are the database's (`now()`), never a replica's clock.
 */
@Injectable()
export class SessionLeases {
  readonly replica: string;
  private readonly leaseSql: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: CoordinatorConfig,
  ) {
    this.replica = config.REPLICA_ID ?? 'coordinator';
    // An integer from validated configuration, so it is safe to write into the statement.
    this.leaseSql = `now() + interval '${Math.trunc(config.SESSION_LEASE_MS)} milliseconds'`;
  }

  /**
   * One heartbeat: renews this replica's leases and, unless `claim` is false (draining), takes
   * over sessions whose lease lapsed and admits queued ones up to the bound. Returns the ids of
   * every unfinished session this replica now owns, oldest first, and how long each session it
   * admitted now had waited in the queue.
   */
  async heartbeat(claim: boolean): Promise<AdmissionRound> {
    return this.db.transaction(async (m) => {
      await m.query(UNSTICK);
      await m.query(`SET LOCAL lock_timeout = '2s'`);
      // Another replica admitting right now: renew only, and admit at the next round.
      const [{ locked }] = await m.query<{ locked: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(${ADMISSION_LOCK}) AS locked`,
      );
      claim &&= locked;
      let admitted: { id: string; waitedSeconds: number }[] = [];
      await m.query(
        `UPDATE sessions SET lease_until = ${this.leaseSql}
         WHERE owner = $1 AND admitted_at IS NOT NULL AND state IN ${UNFINISHED}`,
        [this.replica],
      );
      if (claim) {
        await m.query(
          `UPDATE sessions SET owner = $1, lease_until = ${this.leaseSql}
           WHERE admitted_at IS NOT NULL AND state IN ${UNFINISHED}
             AND (owner IS NULL OR lease_until IS NULL OR lease_until < now())`,
          [this.replica],
        );
        const result: unknown = await m.query(
          `UPDATE sessions SET admitted_at = now(), owner = $1, lease_until = ${this.leaseSql}
           WHERE id IN (
             SELECT id FROM (${FAIR_QUEUE}) queue ORDER BY turn, created_at, id
             LIMIT GREATEST($2::int - (
               SELECT count(*) FROM sessions WHERE admitted_at IS NOT NULL AND state IN ${UNFINISHED}
             ), 0)
           )
           RETURNING id, EXTRACT(EPOCH FROM admitted_at - created_at)::float8 AS waited`,
          [this.replica, this.config.MAX_RUNNING_SESSIONS],
        );
        admitted = returnedRows<{ id: string; waited: number }>(result).map((r) => ({
          id: r.id,
          waitedSeconds: Number(r.waited),
        }));
      }
      const owned = await m.query<{ id: string }[]>(
        `SELECT id FROM sessions WHERE owner = $1 AND admitted_at IS NOT NULL
           AND state IN ${UNFINISHED} ORDER BY admitted_at, created_at, id`,
        [this.replica],
      );
      // This replica's own admissions show at once; another replica's within QUEUE_SNAPSHOT_MS.
      if (admitted.length > 0) this.snapshot = undefined;
      return { owned: owned.map((r) => r.id), admitted };
    });
  }

  /**
   * Inside a session write's transaction: renews the lease, or fails the whole write with
   * `LeaseLostError` if another replica owns the session now — so a replica that was stalled past
   * its lease can never write over the replica that took the session over.
   */
  async fence(m: EntityManager, sessionId: string): Promise<void> {
    // One statement, not two: the row is updated (and locked) only once the condition, and with
    // it the timeout, has been evaluated for it; a write that finds no row rolls back at once.
    const [, affected] = await m.query<[unknown[], number]>(
      `UPDATE sessions SET lease_until = ${this.leaseSql}, updated_at = CURRENT_TIMESTAMP
         WHERE id = $1 AND owner = $2 AND ${UNSTICK_EXPRESSION}`,
      [sessionId, this.replica],
    );
    if (affected !== 1) throw new LeaseLostError(sessionId, this.replica);
  }

  /** On shutdown: lets this replica's leases lapse now, so another replica resumes at once. */
  async release(): Promise<void> {
    await this.db.query(
      `UPDATE sessions SET lease_until = now() WHERE owner = $1 AND state IN ${UNFINISHED}`,
      [this.replica],
    );
  }

  /** Refuses a new request when the queue is full: nothing is created or charged. */
  async assertQueueOpen(): Promise<void> {
    const [{ n }] = await this.db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM sessions WHERE admitted_at IS NULL AND state = 'created'`,
    );
    if (Number(n) >= this.config.MAX_QUEUED_SESSIONS)
      throw new CoordinatorError(
        'unavailable',
        `the queue of reports is full (${this.config.MAX_QUEUED_SESSIONS} waiting); retry shortly`,
      );
  }

  /**
   * The session's place in the queue (1 = next to be admitted), or null if it is not queued. A
   * place can grow when another analyst's first request arrives: it is served before this
   * analyst's later ones.
   *
   * Read from a snapshot of the whole queue at most QUEUE_SNAPSHOT_MS old: a hundred analysts
   * polling their queued reports cost one ranking of the queue, not one each.
   */
  async queuePosition(sessionId: string): Promise<number | null> {
    return (await this.queueSnapshot()).get(sessionId) ?? null;
  }

  private snapshot: { at: number; positions: Promise<ReadonlyMap<string, number>> } | undefined;

  private queueSnapshot(): Promise<ReadonlyMap<string, number>> {
    const now = performance.now();
    if (this.snapshot && now - this.snapshot.at < QUEUE_SNAPSHOT_MS) return this.snapshot.positions;
    const positions = this.db
      .query<{ id: string }[]>(`SELECT id FROM (${FAIR_QUEUE}) queue ORDER BY turn, created_at, id`)
      .then((rows) => new Map(rows.map((r, i) => [r.id, i + 1])));
    this.snapshot = { at: now, positions };
    // A failed read is not kept: the next caller asks the database again.
    positions.catch(() => {
      if (this.snapshot?.positions === positions) this.snapshot = undefined;
    });
    return positions;
  }
}
