import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { writeKeyFile } from '#concord/at-rest';
import { atRestSeal } from '../cli/at-rest-command.js';

/**
 * A node of `npm start`'s kept directory set up before encryption at rest: gives it a KEK file,
 * seals its ledger once (`concord at-rest seal`) and names the KEK in its configuration, in an
 * order that a crash at any point leaves to be finished by the next start.
 */
export function sealKeptDemoNode(
  configFile: string,
  kekFile: string,
  write: (text: string) => void,
): void {
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  if (config.atRest !== undefined) return;
  if (!existsSync(kekFile)) writeKeyFile(kekFile);
  const next = `${configFile}.tmp`;
  writeFileSync(
    next,
    `${JSON.stringify({ ...config, atRest: { kek: { keyFile: kekFile } } }, null, 2)}\n`,
  );
  atRestSeal({ config: next }, write);
  renameSync(next, configFile);
}
