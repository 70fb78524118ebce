// Where the day worker's script is, and the Node options it runs with.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKER = 'day-worker.js';

/**
 * The day worker's script, for the module at `here` (this module by default). Built, it sits
 * next to this module in `dist/`. From the TypeScript sources (Vitest) a worker thread could not
 * load it (plain Node runs no TypeScript), so the copy `npm run build` put at the same path under
 * `dist/` is used; undefined when that build is missing.
 */
export function dayWorkerUrl(here: string = import.meta.url): URL | undefined {
  if (!here.endsWith('.ts')) return new URL(`./${WORKER}`, here);
  const dir = dirname(fileURLToPath(here));
  const root = packageRoot(dir);
  if (root === undefined) return undefined;
  const built = join(root, 'dist', relative(root, dir), WORKER);
  return existsSync(built) ? pathToFileURL(built) : undefined;
}

function packageRoot(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The host's Node options without resolution conditions: the worker is built code and must
 * resolve `#concord/*` to built code (Vitest's `--conditions source` would send it to sources).
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
