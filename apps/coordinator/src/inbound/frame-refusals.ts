import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../config/config.module.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';

/** Where a refused frame arrived. */
export type RefusalEndpoint = 'node' | 'jiff';

export interface RefusalCount {
  readonly endpoint: RefusalEndpoint;
  readonly code: string;
  /** Refusals since the process started. */
  readonly count: number;
}

/** How often at most one summary line of refused frames is logged. */
export const REFUSAL_LOG_INTERVAL_MS = 10_000;

/**
 * Counts refused socket frames by endpoint and code, and logs them as at most one summary line
 * per interval instead of one line per frame: a client that never logs in can make the
 * coordinator refuse thousands of frames, and must not be able to fill its logs. `snapshot()`
 * serves metrics; the counts never hold anything a client sent but the code it earned.
 */
@Injectable()
export class FrameRefusals implements OnApplicationShutdown {
  private readonly totals = new Map<string, number>();
  private pending = new Map<string, number>();
  private pendingSockets = new Set<string>();
  private unauthenticatedSockets = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly metrics: CoordinatorMetrics,
  ) {
    this.timer = setInterval(() => this.flush(), REFUSAL_LOG_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.flush();
  }

  record(endpoint: RefusalEndpoint, code: string, socketId: string, authenticated: boolean): void {
    const key = `${endpoint}:${code}`;
    this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
    this.metrics.frameRefused(endpoint, code);
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    // Bounded: an interval remembers at most this many socket ids for its distinct count.
    if (this.pendingSockets.size < 100_000) this.pendingSockets.add(socketId);
    if (!authenticated && this.unauthenticatedSockets.size < 100_000)
      this.unauthenticatedSockets.add(socketId);
  }

  snapshot(): RefusalCount[] {
    return [...this.totals].map(([key, count]) => {
      const [endpoint, code] = key.split(':', 2) as [RefusalEndpoint, string];
      return { endpoint, code, count };
    });
  }

  /** Logs what was refused since the last line, if anything (the timer calls it). */
  flush(): void {
    if (this.pending.size === 0) return;
    const codes = Object.fromEntries(this.pending);
    const frames = [...this.pending.values()].reduce((a, b) => a + b, 0);
    this.logger.warn(
      {
        frames,
        sockets: this.pendingSockets.size,
        unauthenticatedSockets: this.unauthenticatedSockets.size,
        codes,
      },
      `refused ${frames} socket frames from ${this.pendingSockets.size} sockets ` +
        `(${this.unauthenticatedSockets.size} never logged in)`,
    );
    this.pending = new Map();
    this.pendingSockets = new Set();
    this.unauthenticatedSockets = new Set();
  }
}
