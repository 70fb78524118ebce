import type { PersistOp, SessionAction } from '#concord/coordination';

export interface ExecutorPorts {
  /** Writes the ops in one transaction. */
  persist(ops: readonly PersistOp[]): Promise<void>;
  /** Carries out an action that is not a write (a send, a relay, a milestone…); synchronous. */
  perform(action: SessionAction): void;
  /** Whether a failed write should be retried (the database is unreachable) or not. */
  retryable(error: unknown): boolean;
  /** A write failed for good: the executor stops; the caller decides what becomes of the session. */
  failed(error: unknown): void;
  /** A write is being retried (for logs). */
  retrying(error: unknown, attempt: number, delayMs: number): void;
}

const MAX_BACKOFF_MS = 5_000;

/**
 * Carries out one session's actions in order, write-ahead: every write is durable before any
 * action after it is performed. Writes queued together (a burst of envelopes) share one
 * transaction, up to the next milestone, so a milestone is reached with exactly the writes before
 * it durable. A write that fails because the database is away is retried, with backoff, for as
 * long as it takes; nothing after it happens meanwhile.
 */
export class SessionExecutor {
  private queue: SessionAction[] = [];
  /** A drain is under way (set before it starts, cleared in the turn it ends). */
  private draining = false;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly ports: ExecutorPorts) {}

  enqueue(actions: readonly SessionAction[]): void {
    if (this.stopped || actions.length === 0) return;
    this.queue.push(...actions);
    if (this.draining) return;
    this.draining = true;
    this.running = this.drain();
  }

  /** Resolves once every queued action was carried out (or the executor stopped). */
  async idle(): Promise<void> {
    while (this.draining) await this.running;
  }

  /** No further batch starts; a write being retried gives up at its next attempt. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const batch = this.takeBatch();
        const ops = batch.flatMap((a) => (a.type === 'persist' ? a.ops : []));
        if (ops.length > 0 && !(await this.write(ops))) return;
        for (const a of batch) if (a.type !== 'persist') this.ports.perform(a);
      }
    } finally {
      // In the same turn as the last check of the queue: an action enqueued while this drain
      // awaited a write was taken by the loop; one enqueued after starts a new drain.
      this.draining = false;
    }
  }

  /** Actions up to and including the first milestone or end of the session. */
  private takeBatch(): SessionAction[] {
    const end = this.queue.findIndex((a) => a.type === 'milestone' || a.type === 'finished');
    return this.queue.splice(0, end < 0 ? this.queue.length : end + 1);
  }

  private async write(ops: readonly PersistOp[]): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ports.persist(ops);
        return true;
      } catch (e) {
        if (this.stopped) return false;
        if (!this.ports.retryable(e)) {
          this.stopped = true;
          this.queue = [];
          this.ports.failed(e);
          return false;
        }
        const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(attempt - 1, 6));
        this.ports.retrying(e, attempt, delay);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
