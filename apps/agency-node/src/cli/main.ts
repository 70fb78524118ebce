#!/usr/bin/env node
import 'reflect-metadata';
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError, describeError, EX_CONFIG } from '#concord/errors';
import { repoRoot } from '../demo/repo-paths.js';
import { runDemo } from '../demo/run-demo.js';
import { startLocal } from '../demo/start-local.js';
import {
  atRestGenerateKey,
  atRestRewrap,
  type AtRestRewrapOptions,
  atRestSeal,
} from './at-rest-command.js';
import { auditVerify, type AuditVerifyOptions } from './audit-command.js';
import { consortiumInit, jiffCredential, protocolsList, runNode } from './commands.js';
import { addKeyStoreOptions } from './key-store-options.js';
import { keysGenerate, keysGenerateKek, keysImport, keysShowPublic } from './keys-commands.js';
import { consortiumRevoke, consortiumUpdate, keysRotate } from './key-commands.js';
import { planCommand, type PlanOptions } from './plan-command.js';
import { rerunWithAllocatorTunables } from './rerun-with-tunables.js';
import { synthCommand } from './synth-command.js';

// Process-level policy (docs/operations.md): an unhandled rejection or an uncaught exception is a
// bug. It is reported in one line (errors carry no secrets) and the process exits with 70
// (EX_SOFTWARE). A node that exits loses its sessions' secrets: those sessions abort, and its
// ledger settles them from the coordinator's verdict when it next logs in.
for (const event of ['unhandledRejection', 'uncaughtException'] as const) {
  process.on(event, (error: unknown) => {
    process.stderr.write(`concord: fatal ${event}: ${describeError(error)}\n`);
    process.exit(70);
  });
}

/** The version in package.json (the one `npm ci` installed from), for `concord --version`. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

const program = new Command('concord')
  .description('Concord: joint transit analytics under MPC with differential privacy')
  .version(packageVersion(), '-V, --version', 'print the version and exit');

const keys = program
  .command('keys')
  .description(
    'identity keys in a key store: encrypted-file, pkcs11 (an HSM), or plain-file (DEMO-ONLY plaintext)',
  );
addKeyStoreOptions(
  keys
    .command('generate')
    .description('make a new Ed25519 identity key for an agency in a store (never overwrites)')
    .requiredOption('--agency <id>', 'agency id, e.g. metro-transit')
    .option(
      '--out <file>',
      'the demo form: a DEMO-ONLY plain key file (same as --store plain-file --file)',
    ),
).action(keysGenerate);
addKeyStoreOptions(
  keys
    .command('import')
    .description(
      'store an existing identity key: from a plain key file, or a hex seed in a file or variable',
    )
    .option(
      '--from-plain-file <file>',
      'a DEMO-ONLY plain key file to migrate (agency read from it)',
    )
    .option('--seed-file <file>', 'a file holding the 32-byte seed in hex')
    .option('--seed-env <var>', 'an environment variable holding the 32-byte seed in hex')
    .option('--agency <id>', 'agency id (required with --seed-file or --seed-env)'),
).action(keysImport);
keys
  .command('generate-kek')
  .description('make an AES-256 key-encryption key in a PKCS#11 token, for atRest.kek.pkcs11')
  .option('--module <path>', 'the PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so)')
  .requiredOption('--token-label <label>', 'label of the token')
  .requiredOption('--key-label <label>', 'label of the new key in the token')
  .option('--pin-env <var>', 'environment variable holding the user PIN')
  .option('--pin-file <file>', 'file holding the user PIN')
  .action(keysGenerateKek);
addKeyStoreOptions(
  keys
    .command('show-public')
    .description('print the agency, public key (hex) and custody of a stored identity key'),
).action(keysShowPublic);
keys
  .command('rotate')
  .description(
    'write a rotation statement: the agency’s newest key hands over to a new key at a given time (signed by both)',
  )
  .requiredOption('--consortium <file>', 'the consortium file')
  .requiredOption('--agency <id>', 'the agency whose key rotates')
  .requiredOption(
    '--old-key <file>',
    'the key of the agency’s newest epoch: a plain key file, or a node config naming any key store',
  )
  .requiredOption(
    '--new-key <file>',
    'the new key (`concord keys generate`): a plain key file, or a node config naming its store',
  )
  .requiredOption('--effective <iso>', 'when the new key takes over, e.g. 2027-01-01T00:00:00Z')
  .requiredOption('--out <file>', 'statement file to write')
  .action(keysRotate);

const atRest = program
  .command('at-rest')
  .description('encryption at rest of the files a node writes (docs/security.md)');
atRest
  .command('generate-key')
  .description('write a new random 32-byte key-encryption key file (mode 0600)')
  .requiredOption('--out <file>', 'key file to create (never overwritten)')
  .action((options: { out: string }) => atRestGenerateKey(options));
atRest
  .command('seal')
  .description(
    'seal, once, the files a stopped node wrote in clear, under the KEK its configuration names',
  )
  .requiredOption('--config <file>', 'node configuration (JSON) with atRest.kek')
  .action((options: { config: string }) => atRestSeal(options));
atRest
  .command('rewrap')
  .description(
    'rotate the KEK: re-wrap every sealed file of a stopped node under a new KEK, data not re-encrypted',
  )
  .requiredOption('--config <file>', 'node configuration (JSON) naming the current KEK')
  .option('--new-key-file <file>', 'the new KEK: a key file (concord at-rest generate-key)')
  .option('--new-key-env <name>', 'the new KEK: an environment variable holding a key')
  .option(
    '--new-passphrase-env <name>',
    'the new KEK: an environment variable holding a passphrase',
  )
  .option('--new-passphrase-file <file>', 'the new KEK: a file holding a passphrase')
  .action((options: AtRestRewrapOptions) => atRestRewrap(options));

const consortium = program.command('consortium').description('consortium file');
consortium
  .command('init')
  .description('write the consortium file that pins the three agencies’ identity keys')
  .requiredOption('--name <name>', 'consortium name')
  .requiredOption(
    '--transit <key>',
    'transit authority: a key file (plain or encrypted), a node config (any key store) or a 64-hex public key',
  )
  .requiredOption('--payments <key>', 'fare payment processor: as --transit')
  .requiredOption('--planning <key>', 'city planning: as --transit')
  .option('--transit-id <id>', 'agency id, with a 64-hex --transit')
  .option('--payments-id <id>', 'agency id, with a 64-hex --payments')
  .option('--planning-id <id>', 'agency id, with a 64-hex --planning')
  .requiredOption('--out <file>', 'consortium file to write')
  .action(consortiumInit);
consortium
  .command('revoke')
  .description(
    'sign a revocation of an agency’s key epoch; each of the two other agencies adds its signature to the same file',
  )
  .requiredOption('--consortium <file>', 'the consortium file')
  .option('--agency <id>', 'the agency whose key is revoked')
  .option('--epoch <n>', 'the key epoch revoked')
  .option('--revoked-at <iso>', 'the declared compromise time: the key is invalid from then on')
  .option('--reason <text>', 'why (kept in the consortium file)')
  .requiredOption(
    '--signer-key <file>',
    'the signing agency’s key in force now: a plain key file, or a node config naming any key store',
  )
  .option('--statement <file>', 'a revocation already signed by the other agency, to add to')
  .requiredOption('--out <file>', 'statement file to write')
  .action(consortiumRevoke);
consortium
  .command('update')
  .description('apply a rotation or revocation statement to the consortium file, after checking it')
  .requiredOption('--consortium <file>', 'the consortium file')
  .requiredOption('--statement <file>', 'the statement file')
  .option('--out <file>', 'write the updated file here (default: replace --consortium)')
  .action(consortiumUpdate);

program
  .command('protocols')
  .description('the protocol catalogue')
  .command('list')
  .description('list protocols with the canonical hashes agencies approve')
  .option('--dir <dir>', 'catalogue directory (default: the catalogue shipped with Concord)')
  .action(protocolsList);

program
  .command('node')
  .description('run an agency node')
  .requiredOption('--config <file>', 'node configuration (JSON)')
  .option(
    '--engine <engine>',
    'native (default) or jiff: run data rounds with the stock JIFF client (overrides the config)',
  )
  .addOption(
    new Option(
      '--metrics-port <port>',
      'serve Prometheus metrics at http://<metrics-host>:<port>/metrics (0: any free port)',
    ).env('CONCORD_METRICS_PORT'),
  )
  .addOption(
    new Option('--metrics-host <host>', 'address the metrics endpoint binds to')
      .env('CONCORD_METRICS_HOST')
      .default('127.0.0.1'),
  )
  .addOption(
    new Option(
      '--ca-file <pem>',
      'CA certificate(s) that issued the coordinator’s TLS certificate (overrides caFile)',
    ).env('CONCORD_CA_FILE'),
  )
  .addOption(
    new Option(
      '--join-workers <n>',
      'worker threads for the private join’s group operations (default: one per core; overrides joinWorkers)',
    ).env('CONCORD_JOIN_WORKERS'),
  )
  // No environment variable: commander turns a boolean on for any value, even "false", and this
  // one lowers security (`allowInsecureHttp` in the node configuration is the lasting form).
  .option(
    '--allow-insecure-http',
    'allow a plain http:// coordinator URL to a host that is not loopback (traffic in clear)',
  )
  .action(runNode);

addKeyStoreOptions(
  program
    .command('jiff')
    .description('JIFF interoperability (docs/jiff.md)')
    .command('credential')
    .description('print the JIFF credential of an agency for one computation and party slot')
    .option('--key <file>', 'the agency DEMO-ONLY plain key file (or name a store with --store)')
    .requiredOption('--computation <id>', 'the JIFF computation id (a JIFF-mode session id)')
    .requiredOption('--party <n>', 'the agency party index in the consortium (1, 2 or 3)'),
).action(jiffCredential);

program
  .command('audit')
  .description('auditors’ tools')
  .command('verify <transcript>')
  .description('verify an exported session transcript offline (exit 0 verified, 1 not)')
  .requiredOption('--consortium <file>', 'the consortium file the auditor pins')
  .option(
    '--protocols <dir>',
    'the auditor’s protocol catalogue (default: the catalogue shipped with this package)',
  )
  .option('--json', 'print the report as JSON')
  .action((file: string, options: AuditVerifyOptions) => {
    process.exitCode = auditVerify(file, options);
  });

program
  .command('demo')
  .description(
    'run every catalogue report on a synthetic city (coordinator and three nodes on loopback) and print them next to the truth',
  )
  .option('--scale <scale>', 'small or medium', 'medium')
  .option('--seed <seed>', 'synthetic city seed', '2026')
  .option('--keep', 'keep the working directory (.data/demo)')
  .action(async (options: { scale: string; seed: string; keep?: boolean }) => {
    if (options.scale !== 'small' && options.scale !== 'medium')
      throw new ConfigurationError({
        setting: '--scale',
        requirement: 'small or medium',
        shown: JSON.stringify(options.scale),
      });
    process.exitCode = await runDemo({
      scale: options.scale,
      seed: options.seed,
      keep: options.keep ?? false,
    });
  });

program
  .command('start')
  .description(
    'serve the dashboard: a coordinator and three nodes over the medium synthetic city, kept in .data/start',
  )
  .option('--port <port>', 'coordinator port', '3000')
  .option('--seed <seed>', 'synthetic city seed (first start only)', '2026')
  .option(
    '--metrics-port <port>',
    'the three nodes serve Prometheus metrics on this port and the next two (the coordinator on its own, at /metrics)',
  )
  .action(async (options: { port: string; seed: string; metricsPort?: string }) => {
    const port = Number(options.port);
    if (!/^\d{1,5}$/.test(options.port) || port > 65_535)
      throw new ConfigurationError({
        setting: '--port',
        requirement: 'an integer between 0 and 65535',
        shown: JSON.stringify(options.port),
      });
    const metricsPort = options.metricsPort === undefined ? undefined : Number(options.metricsPort);
    if (
      metricsPort !== undefined &&
      (!/^\d{1,5}$/.test(options.metricsPort ?? '') || metricsPort < 1 || metricsPort > 65_533)
    )
      throw new ConfigurationError({
        setting: '--metrics-port',
        requirement: 'an integer between 1 and 65533 (the nodes use it and the next two)',
        shown: JSON.stringify(options.metricsPort),
      });
    await startLocal({ port, seed: options.seed, ...(metricsPort ? { metricsPort } : {}) });
  });

program
  .command('plan')
  .description(
    'accuracy before spending: the 95% half-width of every output at a budget, or the budget a half-width needs (nothing is charged)',
  )
  .requiredOption('--protocol <id>', 'catalogue protocol id, e.g. revenue-per-boarding')
  .option('--budget <rho>', 'zCDP ρ (pure ε for Pólya protocols), e.g. 1/2')
  .option('--half-width <w>', 'target 95% half-width, a whole number in the output’s unit')
  .option('--output <name>', 'with --half-width: only this output')
  .option('--protocols <dir>', 'catalogue directory (default: the catalogue shipped with Concord)')
  .option('--json', 'print JSON')
  .action((options: PlanOptions) => {
    process.exitCode = planCommand(options);
  });

program
  .command('synth')
  .description(
    'write a seeded synthetic city: every agency’s files in its real schema, the public feed, a manifest',
  )
  .requiredOption('--scale <scale>', 'small, medium or large')
  .requiredOption('--out <dir>', 'output directory (new or empty)')
  .option('--seed <n>', 'seed, a non-negative integer', '2026')
  .option('--days <n>', 'consecutive service days, streamed to the files (default 1)')
  .action(async (options: { scale: string; out: string; seed: string; days?: string }) => {
    // A month of the large city allocates tens of gigabytes in all: huge pages saved a quarter to
    // a third of the time on the hosts measured (docs/performance.md, (j)).
    const rerun = await rerunWithAllocatorTunables();
    if (rerun !== undefined) {
      process.exitCode = rerun;
      return;
    }
    await synthCommand(options);
  });

// A refused setting is its one line ("configuration error: …") and exit code 78 (EX_CONFIG).
program.parseAsync().catch((e: unknown) => {
  if (e instanceof ConfigurationError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(EX_CONFIG);
  }
  process.stderr.write(`concord: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
