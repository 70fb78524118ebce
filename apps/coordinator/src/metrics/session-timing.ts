import type { CoordinatorMetrics } from './coordinator-metrics.js';

/** What the timing reads of a session after each event (the core's `view`). */
interface PhaseView {
  readonly phase: string;
  readonly engine: string | undefined;
}

/**
 * Times one live session for the metrics: how long it stays in each phase (observed when it
 * leaves it) and how long from its request to its end. It only watches the core's view after
 * each event; the core itself knows nothing of it.
 */
export class SessionTiming {
  private phase: string;
  /** When the current phase began; unknown for a phase a restart found under way. */
  private since: number | undefined;
  private engine: string | undefined;

  /**
   * @param createdAt when the session was requested (epoch ms, from its durable row).
   * @param view the session as adopted: a fresh one waits since it was created; one restored
   * mid-phase has no known start for that phase, which is therefore not observed.
   */
  constructor(
    private readonly metrics: CoordinatorMetrics,
    private readonly createdAt: number,
    view: PhaseView,
    now: number,
  ) {
    this.phase = view.phase;
    this.engine = view.engine;
    this.since = view.phase === 'waiting' ? createdAt : undefined;
    if (this.since !== undefined && this.since > now) this.since = now;
  }

  /** After an event: a phase change ends the previous phase's timing. */
  saw(view: PhaseView, now: number): void {
    this.engine = view.engine ?? this.engine;
    if (view.phase === this.phase) return;
    if (this.since !== undefined) {
      const outcome =
        view.phase === 'aborting' || view.phase === 'aborted' ? 'aborted' : 'advanced';
      this.metrics.sessionPhaseFinished(
        this.phase,
        this.engine,
        outcome,
        Math.max(0, now - this.since) / 1000,
      );
    }
    this.phase = view.phase;
    this.since = now;
  }

  /** The session's end is durable: its time from request to result (or abort). */
  ended(outcome: 'completed' | 'aborted', now: number, abortCode?: string): void {
    this.metrics.sessionEnded(
      outcome,
      this.engine,
      Math.max(0, now - this.createdAt) / 1000,
      abortCode,
    );
  }
}
