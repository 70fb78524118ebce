import type { OnApplicationShutdown } from '@nestjs/common';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { Redis } from 'ioredis';

/**
 * One window per key: the first hit sets its expiry; past the limit a block key is set for the
 * block duration. Atomic in Redis, so every replica counts the same hits.
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return {hits, ttl, blocked}
`;

/**
 * Rate-limit counters in Redis, shared by every coordinator replica (a client cannot multiply
 * its allowance by the number of replicas). If Redis does not answer, counting falls back to
 * this replica's memory for that request, so an outage of Redis never refuses the API.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly redis: Redis;
  private readonly local = new ThrottlerStorageService();

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly onTrouble: (message: string) => void,
  ) {
    // A request waits at most a quarter second for Redis (connecting, or gone) before counting
    // locally.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 250 });
    let last: string | undefined;
    this.redis.on('error', (e: Error) => {
      if (e.message !== last) this.onTrouble((last = e.message));
    });
    this.redis.on('ready', () => (last = undefined));
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    const base = `${this.prefix}:throttle:${throttlerName}:${key}`;
    try {
      const [hits, ttlMs, blockedMs] = (await this.redis.eval(
        INCREMENT,
        2,
        base,
        `${base}:blocked`,
        String(ttl),
        String(limit),
        String(Math.max(blockDuration, 1)),
      )) as [number, number, number];
      const isBlocked = blockedMs > 0;
      return {
        totalHits: hits,
        timeToExpire: Math.max(Math.ceil(ttlMs / 1000), 0),
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil(blockedMs / 1000) : 0,
      };
    } catch {
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    this.redis.disconnect();
  }
}
