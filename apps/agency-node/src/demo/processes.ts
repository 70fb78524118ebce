import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { withAllocatorTunables } from '#concord/allocator';
import { builtEntry } from './repo-paths.js';

export interface Spawned {
  readonly process: ChildProcess;
  /** Everything the process wrote, for error reports. */
  output(): string;
  stop(): Promise<void>;
}

function spawnNode(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Spawned {
  // CONCORD_PROFILE_DIR: write a V8 CPU profile of every spawned process there (for profiling).
  const profile = process.env.CONCORD_PROFILE_DIR;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...flags, script, ...args], {
    env: withAllocatorTunables({ ...process.env, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}

/** Starts the built coordinator; resolves with its URL once it listens. */
export async function startCoordinatorProcess(
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<Spawned & { url: string }> {
  const spawned = spawnNode(builtEntry('coordinator'), [], { PORT: '0', ...env });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`coordinator did not start:\n${spawned.output()}`)),
      timeoutMs,
    );
    spawned.process.stdout?.on('data', () => {
      const m = /listening on (https?:\/\/[^\s]+)/.exec(spawned.output());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    spawned.process.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`coordinator exited with ${String(code)}:\n${spawned.output()}`));
    });
  });
  return { ...spawned, url };
}

/** Starts an agency node process (`concord node --config <file>`). */
export function startNodeProcess(
  configFile: string,
  env: NodeJS.ProcessEnv = {},
  args: readonly string[] = [],
): Spawned {
  return spawnNode(builtEntry('cli'), ['node', '--config', configFile, ...args], env);
}
