import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { withAllocatorTunables } from '#concord/allocator';

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * glibc reads `GLIBC_TUNABLES` once, as a process starts, so a command that allocates as much as
 * `concord synth` cannot turn huge pages on for itself. Started without the tunable (and without
 * an explicit `glibc.malloc.hugetlb` choice) on Linux, it runs itself again with it: same
 * arguments, same terminal, signals passed on. Returns the rerun's exit code, or undefined when
 * this process should do the work itself.
 */
export function rerunWithAllocatorTunables(): Promise<number | undefined> {
  if (process.platform !== 'linux') return Promise.resolve(undefined);
  const env = withAllocatorTunables(process.env);
  if (env === process.env) return Promise.resolve(undefined);
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env,
    stdio: 'inherit',
  });
  // Ctrl-C reaches both processes from the terminal; a signal sent to this one alone is passed
  // on, and this process waits for the rerun to end either way.
  const pass = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const s of FORWARDED) process.on(s, pass);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of FORWARDED) process.off(s, pass);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
