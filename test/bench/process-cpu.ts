import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) a process has used so far, in ms, from Linux's `/proc/<pid>/stat`
 * (fields 14 and 15, in clock ticks of 1/100 s: USER_HZ is 100 on every Linux architecture
 * Node supports). NaN where there is no `/proc` or the process is gone. Measured this way rather
 * than by a profiler, which slows every process it watches.
 */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it start past its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU time this process has used so far, in ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
