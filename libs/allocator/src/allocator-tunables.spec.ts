import { describe, expect, it } from 'vitest';
import { HUGE_PAGE_TUNABLE, withAllocatorTunables } from './allocator-tunables.js';

describe('withAllocatorTunables', () => {
  it('adds the huge-page tunable to an environment without tunables', () => {
    expect(withAllocatorTunables({ PATH: '/bin' })).toEqual({
      PATH: '/bin',
      GLIBC_TUNABLES: HUGE_PAGE_TUNABLE,
    });
  });

  it("keeps the operator's other tunables", () => {
    const env = withAllocatorTunables({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
    expect(env.GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${HUGE_PAGE_TUNABLE}`);
  });

  it('leaves an explicit choice alone, an opt-out included', () => {
    for (const choice of [
      'glibc.malloc.hugetlb=0',
      'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2',
    ]) {
      expect(withAllocatorTunables({ GLIBC_TUNABLES: choice }).GLIBC_TUNABLES).toBe(choice);
    }
  });

  it('does not touch the environment it was given', () => {
    const env = { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' };
    withAllocatorTunables(env);
    expect(env).toEqual({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
  });
});
