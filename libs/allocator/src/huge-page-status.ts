import { readFileSync } from 'node:fs';

/**
 * Whether this process's large `malloc` blocks are backed by huge pages (`GLIBC_TUNABLES`,
 * allocator-tunables.ts), for the start-up log: the setting is invisible once a process runs,
 * and processes started by hand without it ran a 10⁶ report 20–25 % slower (docs/performance.md).
 */
export interface HugePageStatus {
  /**
   * `on`: the tunable is set and this glibc and kernel honour it; `off`: they would, but it is
   * not set; `opted-out`: set to 0 on purpose; `unsupported`: not Linux with glibc 2.35 or later,
   * or transparent huge pages are `never`.
   */
  readonly state: 'on' | 'off' | 'opted-out' | 'unsupported';
  readonly glibc: string | undefined;
  /** The kernel's transparent-huge-page mode (`always`, `madvise`, `never`), if known. */
  readonly transparentHugePages: string | undefined;
  readonly message: string;
}

export interface HugePageFacts {
  readonly platform: string;
  readonly tunables: string | undefined;
  /** glibc's version at run time (`process.report`'s `glibcVersionRuntime`); undefined on musl. */
  readonly glibc: string | undefined;
  /** The content of /sys/kernel/mm/transparent_hugepage/enabled, e.g. `always [madvise] never`. */
  readonly transparentHugePagesFile: string | undefined;
}

export function hugePageStatus(facts: HugePageFacts): HugePageStatus {
  const thp = /\[(\w+)\]/.exec(facts.transparentHugePagesFile ?? '')?.[1];
  const base = { glibc: facts.glibc, transparentHugePages: thp };
  const [major, minor] = (facts.glibc ?? '').split('.').map(Number);
  const glibcHonours = major > 2 || (major === 2 && minor >= 35);
  if (facts.platform !== 'linux' || !glibcHonours || thp === 'never' || thp === undefined) {
    return {
      ...base,
      state: 'unsupported',
      message: `huge pages for malloc do not apply here (${facts.platform}, glibc ${facts.glibc ?? 'absent'}, transparent huge pages ${thp ?? 'unknown'})`,
    };
  }
  const choice = (facts.tunables ?? '')
    .split(':')
    .find((t) => t.startsWith('glibc.malloc.hugetlb='))
    ?.slice('glibc.malloc.hugetlb='.length);
  if (choice === undefined)
    return {
      ...base,
      state: 'off',
      message:
        'huge pages for malloc are off: start this process with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (large reports run about a quarter faster; docs/operations.md, "Huge pages for large buffers")',
    };
  if (choice === '0')
    return {
      ...base,
      state: 'opted-out',
      message: 'huge pages for malloc are off by choice (glibc.malloc.hugetlb=0)',
    };
  return {
    ...base,
    state: 'on',
    message: `huge pages for malloc are on (glibc.malloc.hugetlb=${choice})`,
  };
}

/** The status of this process, from its environment, its C library and the kernel's setting. */
export function currentHugePageStatus(): HugePageStatus {
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } })
    .header;
  let file: string | undefined;
  try {
    file = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    file = undefined;
  }
  return hugePageStatus({
    platform: process.platform,
    tunables: process.env.GLIBC_TUNABLES,
    glibc: header?.glibcVersionRuntime,
    transparentHugePagesFile: file,
  });
}

/** The one start-up line about it: a warning when it is off and would help, else information. */
export function logHugePageStatus(logger: {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}): HugePageStatus {
  const status = currentHugePageStatus();
  const fields = {
    hugePages: status.state,
    glibc: status.glibc,
    transparentHugePages: status.transparentHugePages,
  };
  if (status.state === 'off') logger.warn(fields, status.message);
  else logger.info(fields, status.message);
  return status;
}
