import { describe, expect, it } from 'vitest';
import { SessionChanges } from './session-changes.js';

describe('SessionChanges', () => {
  it('wakes every waiter of the changed session, and only those', async () => {
    const changes = new SessionChanges();
    const woken: string[] = [];
    const a1 = changes.next('a', 60_000).then(() => woken.push('a1'));
    const a2 = changes.next('a', 60_000).then(() => woken.push('a2'));
    const b = changes.next('b', 60_000).then(() => woken.push('b'));
    changes.changed('a');
    await Promise.all([a1, a2]);
    expect(woken.sort()).toEqual(['a1', 'a2']);
    changes.changed('b');
    await b;
    expect(woken).toContain('b');
  });

  it('lets a waiter go when its time is up, and forgets it', async () => {
    const changes = new SessionChanges();
    await changes.next('a', 5);
    // Nothing is left waiting: a change wakes no one and throws nothing.
    expect(() => changes.changed('a')).not.toThrow();
    expect((changes as unknown as { waiters: Map<string, unknown> }).waiters.size).toBe(0);
  });
});
