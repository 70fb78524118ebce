import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtEntry, repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import { ManagedProcess, type ProcessExit } from './managed-process.js';

/**
 * Runs the built auditor's tool on an exported transcript, as an auditor would:
 * `concord audit verify <file> --consortium <file> --protocols <dir>`, with the repository's
 * catalogue. Resolves with its exit and what it printed.
 */
export async function auditVerify(
  transcript: unknown,
  options: { readonly dir: string; readonly consortiumFile: string; readonly name: string },
): Promise<ProcessExit & { readonly output: string }> {
  const file = join(options.dir, `${options.name}.transcript.json`);
  writeFileSync(file, JSON.stringify(transcript));
  const cli = ManagedProcess.spawn(
    'concord audit verify',
    builtEntry('cli'),
    [
      'audit',
      'verify',
      file,
      '--consortium',
      options.consortiumFile,
      '--protocols',
      join(repoRoot(), 'protocols'),
    ],
    {},
  );
  const exit = await cli.waitForExit();
  return { ...exit, output: cli.output() };
}
