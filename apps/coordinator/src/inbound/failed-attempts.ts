import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { Clock } from '../config/clock.js';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';

/** Where a client failed to authenticate: the REST API, or the agency-node socket. */
export type AttemptScope = 'http' | 'node';

const WINDOW_MS = 60_000;
const BLOCK_MS = 60_000;
/** Most blocked addresses remembered in this process (the storage keeps the counts). */
const MAX_REMEMBERED = 10_000;

/**
 * Failed authentications per client address. Failures are counted in the throttler's storage
 * (in memory by default; a shared storage counts across replicas). Once an address passes
 * `AUTH_FAILURES_PER_MINUTE` the storage blocks it, and this process remembers the block so it
 * refuses the address's next attempts before any token lookup or signature check: made-up
 * tokens cost a map lookup, not a database query. (A replica that has not seen the block yet
 * learns it at the address's next failure there.)
 */
@Injectable()
export class FailedAttempts {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: CoordinatorConfig,
    private readonly clock: Clock,
    private readonly metrics: CoordinatorMetrics,
  ) {}

  /** Seconds this address is still refused for, as this process knows (0: not refused). */
  retryAfter(scope: AttemptScope, address: string): number {
    const key = `${scope}:${address}`;
    const until = this.blockedUntil.get(key);
    if (until === undefined) return 0;
    const left = until - this.clock.now();
    if (left > 0) return Math.ceil(left / 1000);
    this.blockedUntil.delete(key);
    return 0;
  }

  /** Counts one failure; returns the seconds the address is now refused for (0: not yet). */
  async fail(scope: AttemptScope, address: string): Promise<number> {
    const key = `${scope}:${address}`;
    this.metrics.authFailed(scope);
    const record = await this.storage.increment(
      `failed-auth:${key}`,
      WINDOW_MS,
      this.config.AUTH_FAILURES_PER_MINUTE,
      BLOCK_MS,
      'failed-auth',
    );
    if (!record.isBlocked) return 0;
    const seconds = Math.max(1, record.timeToBlockExpire);
    this.remember(key, this.clock.now() + seconds * 1000);
    return seconds;
  }

  private remember(key: string, until: number): void {
    if (this.blockedUntil.size >= MAX_REMEMBERED) {
      const now = this.clock.now();
      for (const [k, u] of this.blockedUntil) if (u <= now) this.blockedUntil.delete(k);
      // Still full: forget the oldest block (the storage still counts its failures).
      if (this.blockedUntil.size >= MAX_REMEMBERED)
        this.blockedUntil.delete(this.blockedUntil.keys().next().value!);
    }
    this.blockedUntil.set(key, until);
  }
}
