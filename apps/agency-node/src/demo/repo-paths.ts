import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the directory holding package.json), from source or from dist. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root');
    dir = up;
  }
  return dir;
}

/** Built entry points the demo and the end-to-end tests spawn as separate processes. */
export function builtEntry(which: 'coordinator' | 'cli'): string {
  const root = repoRoot();
  const path =
    which === 'coordinator'
      ? join(root, 'dist/apps/coordinator/src/main.js')
      : join(root, 'dist/apps/agency-node/src/cli/main.js');
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run build first`);
  return path;
}
