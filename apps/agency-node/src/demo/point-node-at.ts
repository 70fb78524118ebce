import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Rewrites a kept node configuration's coordinator URL (atomically: a new file, then rename). */
export function pointNodeAt(configFile: string, coordinatorUrl: string): void {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  if (config.coordinatorUrl === coordinatorUrl) return;
  writeFileSync(`${configFile}.tmp`, `${JSON.stringify({ ...config, coordinatorUrl }, null, 2)}\n`);
  renameSync(`${configFile}.tmp`, configFile);
}
