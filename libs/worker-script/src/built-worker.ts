// Where a library's worker-thread script is, and the Node options a worker runs with.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The worker script `script` that sits next to the module at `here` (its `import.meta.url`).
 * Built, it is beside that module in `dist/`. Run from the TypeScript sources (Vitest), a worker
 * thread could not load the sources (plain Node runs no TypeScript and knows nothing of Vitest's
 * module runner), so the copy `npm run build` put at the same path under `dist/` is used. Returns
 * undefined when that build is missing, so the caller fails with a clear message instead of a
 * worker error.
 */
export function builtWorkerUrl(script: string, here: string): URL | undefined {
  if (!here.endsWith('.ts')) return new URL(`./${script}`, here);
  const dir = dirname(fileURLToPath(here));
  const root = packageRoot(dir);
  if (root === undefined) return undefined;
  const built = join(root, 'dist', relative(root, dir), script);
  return existsSync(built) ? pathToFileURL(built) : undefined;
}

/** The nearest directory above `dir` holding package.json (the repository root, from sources). */
function packageRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The host's Node options for a worker, without resolution conditions: the worker is built code
 * and must resolve `#concord/*` to built code too. (Vitest runs with `--conditions source`, which
 * a worker inherits by default and which would send it to the TypeScript sources.)
 */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    if (arg === '--conditions' || arg === '-C') i++;
    else if (!arg.startsWith('--conditions=') && !arg.startsWith('-C=')) kept.push(arg);
  }
  return kept;
}
