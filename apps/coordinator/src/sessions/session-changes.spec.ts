import { describe, expect, it } from 'vitest';
import { SessionChanges } from './session-changes.js';

describe('SessionChanges', () => {
  it('wakes every waiter of the changed session, and only those, with its new state', async () => {
    const changes = new SessionChanges();
    const woken: string[] = [];
    const a1 = changes.next('a', 60_000).then((s) => woken.push(`a1:${s}`));
    const a2 = changes.next('a', 60_000).then((s) => woken.push(`a2:${s}`));
    const b = changes.next('b', 60_000).then((s) => woken.push(`b:${s}`));
    changes.changed('a', 'running');
    await Promise.all([a1, a2]);
    expect(woken.sort()).toEqual(['a1:running', 'a2:running']);
    changes.changed('b', 'completed');
    await b;
    expect(woken).toContain('b:completed');
  });

  it('lets a waiter go when its time is up, and forgets it', async () => {
    const changes = new SessionChanges();
    expect(await changes.next('a', 5)).toBeUndefined();
    // Nothing is left waiting: a change wakes no one and throws nothing.
    expect(() => changes.changed('a', 'aborted')).not.toThrow();
    expect((changes as unknown as { waiters: Map<string, unknown> }).waiters.size).toBe(0);
  });
});
