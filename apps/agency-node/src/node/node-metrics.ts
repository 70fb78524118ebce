import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NodeEngine } from '#concord/wire';

/** From tens of milliseconds (a small report on loopback) to the two minutes past which a
 * session is in trouble anyway. */
const SESSION_SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];

/** How a session left this node: its outcome as the coordinator told it, or this node's own. */
export type NodeSessionOutcome =
  'completed' | 'aborted' | 'aborted-by-node' | 'declined' | 'dropped';

/**
 * An agency node's Prometheus metrics, served by `concord node --metrics-port` (absent, nothing
 * is recorded). One registry of its own, Node's default process and event-loop metrics, and one
 * intention-named method per thing that happened. Labels are bounded sets (phases, outcomes,
 * codes, directions); never a session id, and never anything of the agency's data.
 */
export class NodeMetrics {
  readonly registry = new Registry();
  private heldSessions: () => Iterable<string> = () => [];

  private readonly sessions = new Counter({
    name: 'concord_node_sessions_total',
    help: 'Sessions that ended on this node, by outcome: completed, aborted (by the coordinator), aborted-by-node, declined (at invitation) or dropped (held too long).',
    labelNames: ['outcome', 'engine'] as const,
    registers: [this.registry],
  });

  private readonly phaseSeconds = new Histogram({
    name: 'concord_node_session_phase_duration_seconds',
    help: 'Time a session spent in one of this node’s phases (reading, accepted, committed, running, opened, sealed), observed when it leaves it.',
    labelNames: ['phase', 'engine'] as const,
    buckets: SESSION_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly timeToResult = new Histogram({
    name: 'concord_node_session_time_to_result_seconds',
    help: 'Time from the invitation to the session’s end as the coordinator reported it (outcome completed or aborted).',
    labelNames: ['outcome', 'engine'] as const,
    buckets: SESSION_SECONDS_BUCKETS,
    registers: [this.registry],
  });

  private readonly charges = new Counter({
    name: 'concord_node_ledger_charges_total',
    help: 'Charges this agency’s ledger accepted: charged (recorded) or already-charged (a repeated invitation).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly refusals = new Counter({
    name: 'concord_node_ledger_refusals_total',
    help: 'Charges this agency’s ledger refused (its veto), by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly refunds = new Counter({
    name: 'concord_node_ledger_refunds_total',
    help: 'Settlement verdicts of this agency’s ledger: code refunded gave the charge back; any other code says why not (completed, data-phase-started, ...).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  private readonly envelopes = new Counter({
    name: 'concord_node_envelopes_total',
    help: 'Sealed data-round envelopes sent to (out) and received from (in) the coordinator.',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  private readonly envelopeBytes = new Counter({
    name: 'concord_node_envelope_bytes_total',
    help: 'Bytes of sealed data-round envelopes sent (out) and received (in).',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  private readonly connected = new Gauge({
    name: 'concord_node_coordinator_connected',
    help: '1 while this node is connected to the coordinator and logged in, else 0.',
    registers: [this.registry],
  });

  private readonly reconnects = new Counter({
    name: 'concord_node_coordinator_reconnects_total',
    help: 'Connections to the coordinator after the first (each one follows a lost connection).',
    registers: [this.registry],
  });

  private readonly loginRefusals = new Counter({
    name: 'concord_node_login_refusals_total',
    help: 'Logins the coordinator refused, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(private readonly engine: NodeEngine = 'native') {
    collectDefaultMetrics({ register: this.registry });
    this.connected.set(0);
    const held: Gauge<'phase'> = new Gauge({
      name: 'concord_node_sessions_held',
      help: 'Sessions this node holds in memory now, by phase.',
      labelNames: ['phase'] as const,
      registers: [this.registry],
      collect: () => {
        held.reset();
        for (const phase of this.heldSessions()) held.inc({ phase });
      },
    });
  }

  /** The held-sessions gauge lists the phases `phases()` returns at each scrape. */
  countHeldSessionsWith(phases: () => Iterable<string>): void {
    this.heldSessions = phases;
  }

  sessionPhaseFinished(phase: string, seconds: number): void {
    this.phaseSeconds.observe({ phase, engine: this.engine }, seconds);
  }

  sessionEnded(outcome: NodeSessionOutcome, secondsSinceInvite?: number): void {
    this.sessions.inc({ outcome, engine: this.engine });
    if ((outcome === 'completed' || outcome === 'aborted') && secondsSinceInvite !== undefined)
      this.timeToResult.observe({ outcome, engine: this.engine }, secondsSinceInvite);
  }

  ledgerCharge(decision: { readonly ok: boolean; readonly code: string }): void {
    if (decision.ok) this.charges.inc({ code: decision.code });
    else this.refusals.inc({ code: decision.code });
  }

  ledgerRefundDecided(code: string): void {
    this.refunds.inc({ code });
  }

  envelopeSent(bytes: number): void {
    this.envelopes.inc({ direction: 'out' });
    this.envelopeBytes.inc({ direction: 'out' }, bytes);
  }

  envelopeReceived(bytes: number): void {
    this.envelopes.inc({ direction: 'in' });
    this.envelopeBytes.inc({ direction: 'in' }, bytes);
  }

  coordinatorConnection(state: 'logged-in' | 'lost'): void {
    this.connected.set(state === 'logged-in' ? 1 : 0);
  }

  coordinatorReconnected(): void {
    this.reconnects.inc();
  }

  loginRefused(code: string): void {
    this.loginRefusals.inc({ code });
  }
}
