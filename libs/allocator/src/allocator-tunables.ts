/**
 * glibc's tunable that backs malloc's large blocks with transparent huge pages (glibc ≥ 2.35;
 * ignored by other C libraries and older glibc). Node allocates every Buffer and typed array
 * above a few kilobytes with malloc, and a session's vectors are megabytes each: with the
 * kernel's usual `madvise` setting and without this, every fresh 4 MB vector costs about a
 * thousand 4 KiB page faults, which on the virtual machine measured cost more than the
 * arithmetic done on the vector (docs/performance.md, "Fresh memory").
 */
export const HUGE_PAGE_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * The environment a Concord process is started with: `env` with the huge-page tunable added to
 * `GLIBC_TUNABLES`, unless the operator already chose a `glibc.malloc.hugetlb` value there (set
 * `glibc.malloc.hugetlb=0` to opt out). Other tunables are kept.
 */
export function withAllocatorTunables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (tunables.split(':').some((t) => t.startsWith('glibc.malloc.hugetlb='))) return env;
  return {
    ...env,
    GLIBC_TUNABLES: tunables === '' ? HUGE_PAGE_TUNABLE : `${tunables}:${HUGE_PAGE_TUNABLE}`,
  };
}
