import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

// Against the real Redis on loopback (CONCORD_TEST_REDIS_URL overrides it).
const REDIS_URL = process.env.CONCORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('rate limits counted in Redis', () => {
  const prefix = `concord-test-${randomBytes(6).toString('hex')}`;
  const troubles: string[] = [];
  const a = new RedisThrottlerStorage(REDIS_URL, prefix, (t) => troubles.push(t));
  const b = new RedisThrottlerStorage(REDIS_URL, prefix, (t) => troubles.push(t));
  afterAll(() => {
    a.onApplicationShutdown();
    b.onApplicationShutdown();
  });

  it('counts one client’s hits across replicas and blocks past the limit', async () => {
    const hits = [];
    for (let i = 0; i < 3; i++)
      hits.push(await (i % 2 === 0 ? a : b).increment('ip:x', 60_000, 3, 30_000, 'default'));
    expect(hits.map((h) => [h.totalHits, h.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    const fourth = await b.increment('ip:x', 60_000, 3, 30_000, 'default');
    expect(fourth.isBlocked).toBe(true);
    expect(fourth.timeToBlockExpire).toBeGreaterThan(25);
    expect(fourth.timeToBlockExpire).toBeLessThanOrEqual(30);
    // Another client is not affected.
    expect((await a.increment('ip:y', 60_000, 3, 30_000, 'default')).isBlocked).toBe(false);
    expect(troubles).toEqual([]);
  });

  it('counts in memory when Redis does not answer, instead of refusing the request', async () => {
    const dead = new RedisThrottlerStorage('redis://127.0.0.1:1', prefix, () => undefined);
    try {
      const first = await dead.increment('ip:z', 60_000, 1, 60_000, 'default');
      const second = await dead.increment('ip:z', 60_000, 1, 60_000, 'default');
      expect([first.isBlocked, second.isBlocked]).toEqual([false, true]);
    } finally {
      dead.onApplicationShutdown();
    }
  });
});
