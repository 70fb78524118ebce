import { describe, expect, it } from 'vitest';
import { currentHugePageStatus, type HugePageFacts, hugePageStatus } from './huge-page-status.js';

const linux: HugePageFacts = {
  platform: 'linux',
  tunables: undefined,
  glibc: '2.36',
  transparentHugePagesFile: 'always [madvise] never\n',
};

describe('hugePageStatus', () => {
  it('says off, with what to set, when glibc and the kernel would honour a tunable that is missing', () => {
    const s = hugePageStatus(linux);
    expect([s.state, s.transparentHugePages]).toEqual(['off', 'madvise']);
    expect(s.message).toMatch(/GLIBC_TUNABLES=glibc\.malloc\.hugetlb=1/);
    expect(hugePageStatus({ ...linux, tunables: 'glibc.malloc.arena_max=2' }).state).toBe('off');
  });

  it('says on or opted out by the value the operator chose', () => {
    expect(hugePageStatus({ ...linux, tunables: 'glibc.malloc.hugetlb=1' }).state).toBe('on');
    expect(
      hugePageStatus({ ...linux, tunables: 'glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2' })
        .state,
    ).toBe('on');
    expect(hugePageStatus({ ...linux, tunables: 'glibc.malloc.hugetlb=0' }).state).toBe(
      'opted-out',
    );
  });

  it('says unsupported where the tunable does nothing', () => {
    const on = 'glibc.malloc.hugetlb=1';
    for (const facts of [
      { ...linux, tunables: on, glibc: '2.34' },
      { ...linux, tunables: on, glibc: undefined }, // musl
      { ...linux, tunables: on, platform: 'darwin' },
      { ...linux, tunables: on, transparentHugePagesFile: 'always madvise [never]' },
      { ...linux, tunables: on, transparentHugePagesFile: undefined },
    ])
      expect(hugePageStatus(facts).state).toBe('unsupported');
    expect(hugePageStatus({ ...linux, glibc: '3.0' }).state).toBe('off');
  });

  it("reads this process's facts without throwing", () => {
    expect(['on', 'off', 'opted-out', 'unsupported']).toContain(currentHugePageStatus().state);
  });
});
