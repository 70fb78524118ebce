// How the stock client's worker thread is launched: its script, and the Node options it runs with.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKER = 'jiff-worker.js';

/**
 * The script of the stock client's worker thread, for the module at `here` (this library's own
 * URL by default). Built, the worker sits next to that module in `dist/`. Run from the TypeScript
 * sources (Vitest), it does not exist there, and a worker thread could not load the sources
 * anyway (plain Node runs no TypeScript and knows nothing of Vitest's module runner): the worker
 * `npm run build` put at the same path under `dist/` is used instead. Returns undefined when that
 * build is missing, so the runner fails the session with a clear message instead of a worker
 * error.
 */
export function jiffWorkerUrl(here: string = import.meta.url): URL | undefined {
  if (!here.endsWith('.ts')) return new URL(`./${WORKER}`, here);
  const dir = dirname(fileURLToPath(here));
  const root = packageRoot(dir);
  if (root === undefined) return undefined;
  const built = join(root, 'dist', relative(root, dir), WORKER);
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
 * The host's Node options for the worker, without resolution conditions: the worker is built
 * code and must resolve `#concord/*` to built code too. (Vitest runs with `--conditions source`,
 * which a worker inherits by default and which would send it to the TypeScript sources.)
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
