import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Session phases and whole sessions: from tens of milliseconds (a small report on loopback) to
 * the two minutes past which a session is in trouble anyway. */
const SESSION_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
/** One transaction: a millisecond on a quiet local database, seconds when it struggles. */
const WRITE_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A session as the live-sessions gauge counts it. */
export interface LiveSessionView {
  readonly phase: string;
  readonly engine: string | undefined;
}

/** What the database-backed gauges read at scrape time (see `DatabaseMetrics`). */
export interface DatabaseReadings {
  /** Sessions in the database by row state: every replica sharing the database sees them. */
  sessionsByState(): Promise<ReadonlyMap<string, number>>;
  /** The connection pool now, or undefined if the driver has none to show. */
  pool(): { total: number; idle: number; waiting: number; max: number } | undefined;
}

/**
 * The coordinator's Prometheus metrics: one registry per application (never prom-client's global
 * one, so several coordinators in one test process do not collide), Node's default process and
 * event-loop metrics, and one intention-named method per thing that happened. Labels are bounded
 * sets (phases, engines, outcome and error codes); never a session, request or analyst id.
 * Other modules may add their own metrics to `registry` (e.g. `new Counter({ registers:
 * [metrics.registry], ... })`); they are served at GET /metrics with the rest.
 */
@Injectable()
export class CoordinatorMetrics {
  readonly registry = new Registry();
  private database: DatabaseReadings | undefined;
  private liveSessions: () => Iterable<LiveSessionView> = () => [];

  private readonly phaseSeconds = new Histogram({
    name: 'concord_session_phase_duration_seconds',
    help: 'Time a session spent in one phase (waiting, inviting, committing, computing, sealing, aborting), observed when it leaves the phase; outcome is advanced or aborted.',
    labelNames: ['phase', 'engine', 'outcome'] as const,
    buckets: SESSION_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly timeToResult = new Histogram({
    name: 'concord_session_time_to_result_seconds',
    help: 'Time from a report request (session created) to its end: outcome completed (results released and sealed) or aborted.',
    labelNames: ['outcome', 'engine'] as const,
    buckets: SESSION_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly queueWait = new Histogram({
    name: 'concord_session_queue_wait_seconds',
    help: 'Time a report request waited in the queue before its session was admitted (MAX_RUNNING_SESSIONS), observed by the replica that admitted it.',
    buckets: SESSION_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly aborts = new Counter({
    name: 'concord_session_aborts_total',
    help: 'Sessions aborted, by abort code.',
    labelNames: ['code', 'engine'] as const,
    registers: [this.registry],
  });

  private readonly envelopes = new Counter({
    name: 'concord_envelopes_total',
    help: 'Sealed data-round envelopes: received from a node (in) and relayed to its receiver (out).',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  private readonly envelopeBytes = new Counter({
    name: 'concord_envelope_bytes_total',
    help: 'Bytes of sealed data-round envelopes received from nodes (in) and relayed (out).',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  private readonly jiffRelays = new Counter({
    name: 'concord_jiff_relays_total',
    help: 'Messages the JIFF-compatible endpoint relayed between JIFF clients, by JIFF event.',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  private readonly charges = new Counter({
    name: 'concord_ledger_charges_total',
    help: 'Privacy-ledger charges committed with a new session (code charged), by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly refunds = new Counter({
    name: 'concord_ledger_refunds_total',
    help: 'Refund verdicts committed by the privacy ledger: code refunded gave a charge back; any other code says why not.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly refusals = new Counter({
    name: 'concord_ledger_refusals_total',
    help: 'Charges the privacy ledger refused (the report request was refused), by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly transcriptWrites = new Histogram({
    name: 'concord_transcript_write_seconds',
    help: 'Time to write one batch of a session’s durable changes (transcript entries and their row transition, release, seal or refund) in one transaction; outcome ok or failed.',
    labelNames: ['outcome'] as const,
    buckets: WRITE_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly refusedFrames = new Counter({
    name: 'concord_refused_frames_total',
    help: 'Socket frames refused before or after login, by endpoint (node, jiff) and refusal code.',
    labelNames: ['endpoint', 'code'] as const,
    registers: [this.registry],
  });

  private readonly authFailures = new Counter({
    name: 'concord_auth_failures_total',
    help: 'Failed authentications (HTTP requests without a valid token, refused node logins), by scope (http, node).',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  private readonly httpErrors = new Counter({
    name: 'concord_http_errors_total',
    help: 'HTTP requests answered with a problem document, by problem code and status.',
    labelNames: ['code', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Pool figures first: the scrape's own sessions query (which the gauges collect at once)
    // must not show as a query waiting for a connection.
    const connections: Gauge<'state'> = new Gauge({
      name: 'concord_db_pool_connections',
      help: 'Database pool connections by state: active (checked out) or idle.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect: () => {
        connections.reset();
        const pool = this.database?.pool();
        if (!pool) return;
        connections.set({ state: 'active' }, pool.total - pool.idle);
        connections.set({ state: 'idle' }, pool.idle);
      },
    });
    const max: Gauge = new Gauge({
      name: 'concord_db_pool_max_connections',
      help: 'The most connections the database pool opens.',
      registers: [this.registry],
      collect: () => {
        const pool = this.database?.pool();
        if (pool) max.set(pool.max);
      },
    });
    const waiting: Gauge = new Gauge({
      name: 'concord_db_pool_waiting_requests',
      help: 'Queries waiting for a free pool connection.',
      registers: [this.registry],
      collect: () => {
        const pool = this.database?.pool();
        if (pool) waiting.set(pool.waiting);
      },
    });
    const sessions: Gauge<'state'> = new Gauge({
      name: 'concord_sessions',
      help: 'Sessions in the database by state, read at scrape time. Cluster-wide: every coordinator replica sharing the database reports the same figures.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect: async () => {
        const counts = await this.database?.sessionsByState();
        sessions.reset();
        for (const [state, n] of counts ?? []) sessions.set({ state }, n);
      },
    });
    const live: Gauge<'phase' | 'engine'> = new Gauge({
      name: 'concord_sessions_live',
      help: 'Sessions this coordinator process runs now, by phase and engine (none before the nodes are invited).',
      labelNames: ['phase', 'engine'] as const,
      registers: [this.registry],
      collect: () => {
        live.reset();
        for (const s of this.liveSessions())
          live.inc({ phase: s.phase, engine: s.engine ?? 'none' });
      },
    });
  }

  /** The database-backed gauges read through `readings` from now on. */
  readDatabaseWith(readings: DatabaseReadings): void {
    this.database = readings;
  }

  /** The live-sessions gauge lists `sessions()` at each scrape. */
  countLiveSessionsWith(sessions: () => Iterable<LiveSessionView>): void {
    this.liveSessions = sessions;
  }

  sessionPhaseFinished(
    phase: string,
    engine: string | undefined,
    outcome: 'advanced' | 'aborted',
    seconds: number,
  ): void {
    this.phaseSeconds.observe({ phase, engine: engine ?? 'none', outcome }, seconds);
  }

  sessionAdmitted(waitedSeconds: number): void {
    this.queueWait.observe(waitedSeconds);
  }

  sessionEnded(
    outcome: 'completed' | 'aborted',
    engine: string | undefined,
    seconds: number,
    abortCode?: string,
  ): void {
    this.timeToResult.observe({ outcome, engine: engine ?? 'none' }, seconds);
    if (outcome === 'aborted')
      this.aborts.inc({ code: abortCode ?? 'unknown', engine: engine ?? 'none' });
  }

  envelopeReceived(bytes: number): void {
    this.envelopes.inc({ direction: 'in' });
    this.envelopeBytes.inc({ direction: 'in' }, bytes);
  }

  envelopeRelayed(bytes: number): void {
    this.envelopes.inc({ direction: 'out' });
    this.envelopeBytes.inc({ direction: 'out' }, bytes);
  }

  jiffRelayed(event: string): void {
    this.jiffRelays.inc({ event });
  }

  ledgerCharged(code: string): void {
    this.charges.inc({ code });
  }

  ledgerRefundDecided(code: string): void {
    this.refunds.inc({ code });
  }

  ledgerRefused(code: string): void {
    this.refusals.inc({ code });
  }

  transcriptWritten(seconds: number, outcome: 'ok' | 'failed'): void {
    this.transcriptWrites.observe({ outcome }, seconds);
  }

  frameRefused(endpoint: string, code: string): void {
    this.refusedFrames.inc({ endpoint, code });
  }

  authFailed(scope: string): void {
    this.authFailures.inc({ scope });
  }

  httpError(code: string, status: number): void {
    this.httpErrors.inc({ code, status: String(status) });
  }
}
