import { Injectable } from '@nestjs/common';

/**
 * Tells waiting requests that a session's state changed on this replica (a long poll on
 * `GET /reports/:id?wait=`, instead of clients polling every few milliseconds). A change made by
 * another replica is not seen here: waiters also look again on their own every `RECHECK_MS`.
 */
@Injectable()
export class SessionChanges {
  private readonly waiters = new Map<string, Set<(state: string | undefined) => void>>();

  /** Wakes every request waiting on `sessionId`, telling them the state it moved to. */
  changed(sessionId: string, state: string): void {
    const waiting = this.waiters.get(sessionId);
    if (!waiting) return;
    this.waiters.delete(sessionId);
    for (const wake of waiting) wake(state);
  }

  /**
   * Resolves at the session's next change on this replica with the state it moved to, or with
   * undefined after `ms`, whichever is first.
   */
  next(sessionId: string, ms: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      let waiting = this.waiters.get(sessionId);
      if (!waiting) this.waiters.set(sessionId, (waiting = new Set()));
      const wake = (state: string | undefined): void => {
        clearTimeout(timer);
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(sessionId) === waiting)
          this.waiters.delete(sessionId);
        resolve(state);
      };
      const timer = setTimeout(() => wake(undefined), ms);
      waiting.add(wake);
    });
  }
}

/** How often a waiting request looks at the session again without being woken. */
export const RECHECK_MS = 250;
