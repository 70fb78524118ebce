import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { systemRandom, toHex } from '#concord/crypto';
import { ConfigurationError } from '#concord/errors';
import { type AgencyRole, consortiumToJson, parseConsortium } from '#concord/consortium';
import { readCatalogueDirectory } from '#concord/protocol';
import { signJiffCredential } from '#concord/wire';
import { loadNodeConfig } from '../config/node-config.js';
import { readIdentityFile, writeIdentityFile } from '../keys/identity-file.js';
import { AgencyNode } from '../node/agency-node.js';
import { serveMetrics } from '../node/metrics-server.js';
import { NodeMetrics } from '../node/node-metrics.js';
import { stockClientMissing } from '#concord/jiff-engine';
import { createNodeLogger } from './logger.js';
import { shippedCatalogueDir } from './shipped-catalogue.js';

export function keysGenerate(options: { agency: string; out: string }): void {
  const pair = writeIdentityFile(resolve(options.out), options.agency, systemRandom);
  process.stdout.write(
    `wrote ${options.out}\nagency ${options.agency} identity public key ${toHex(pair.publicKey)}\n`,
  );
}

/** Builds the consortium file every agency pins, from the three agencies' public keys. */
export function consortiumInit(options: {
  name: string;
  out: string;
  transit: string;
  payments: string;
  planning: string;
}): void {
  const roles: [AgencyRole, string, 1 | 2 | 3][] = [
    ['transit', options.transit, 1],
    ['payments', options.payments, 2],
    ['planning', options.planning, 3],
  ];
  const agencies = roles.map(([role, keyFile, party]) => {
    const { agencyId, identity } = readIdentityFile(keyFile);
    return { id: agencyId, name: agencyId, role, party, identityKey: toHex(identity.publicKey) };
  });
  const consortium = parseConsortium({ name: options.name, agencies });
  writeFileSync(options.out, `${JSON.stringify(consortiumToJson(consortium), null, 2)}\n`);
  process.stdout.write(`wrote ${options.out}\n`);
}

/**
 * The JIFF credential of an agency for one computation (a JIFF-mode session's id) and party slot:
 * what a stock JIFF client puts in `initialization.credential` (docs/jiff.md). The node's JIFF
 * engine computes it itself; this is for agencies driving their own JIFF client.
 */
export function jiffCredential(options: { key: string; computation: string; party: string }): void {
  if (!/^[1-3]$/.test(options.party)) throw new Error('--party must be 1, 2 or 3');
  const { identity } = readIdentityFile(resolve(options.key));
  process.stdout.write(
    `${signJiffCredential(identity.secretKey, options.computation, Number(options.party))}\n`,
  );
}

export function protocolsList(options: { dir?: string }): void {
  for (const e of readCatalogueDirectory(options.dir ?? shippedCatalogueDir()).entries()) {
    const d = e.analysis.definition;
    process.stdout.write(`${d.id}@${d.version}  ${e.hash}  ${d.title}\n`);
  }
}

export async function runNode(options: {
  config: string;
  engine?: string;
  metricsPort?: string;
  metricsHost?: string;
  caFile?: string;
  allowInsecureHttp?: boolean;
}): Promise<void> {
  const config = loadNodeConfig(options.config);
  if (options.caFile !== undefined) config.caFile = resolve(options.caFile);
  if (options.allowInsecureHttp) config.allowInsecureHttp = true;
  if (options.engine !== undefined) {
    if (options.engine !== 'native' && options.engine !== 'jiff')
      throw new ConfigurationError({
        setting: '--engine',
        requirement: 'native or jiff',
        shown: JSON.stringify(options.engine),
      });
    config.engine = options.engine;
  }
  const missing = config.engine === 'jiff' ? stockClientMissing() : undefined;
  if (missing) throw new Error(missing);
  const logger = createNodeLogger(`agency-node:${config.agencyId}`, config.logLevel);
  const { agencyId, identity } = readIdentityFile(config.identityKeyFile);
  if (agencyId !== config.agencyId)
    throw new Error(`identity key file belongs to ${agencyId}, not ${config.agencyId}`);
  const metrics = await startMetrics(options, config.engine ?? 'native');
  const node = new AgencyNode({
    config,
    identity,
    consortium: parseConsortium(JSON.parse(readFileSync(config.consortiumFile, 'utf8'))),
    catalogue: readCatalogueDirectory(config.protocolsDir),
    logger,
    configFile: options.config,
    ...(metrics ? { metrics } : {}),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      node.stop();
      process.exit(0);
    });
  }
  await node.start();
  process.stdout.write(
    `agency node ${agencyId} connected to ${config.coordinatorUrl} (engine ${config.engine ?? 'native'})\n`,
  );
}

/** With `--metrics-port`, the node's metrics and their endpoint; without it, none. */
async function startMetrics(
  options: { metricsPort?: string; metricsHost?: string },
  engine: 'native' | 'jiff',
): Promise<NodeMetrics | undefined> {
  if (options.metricsPort === undefined) return undefined;
  const port = Number(options.metricsPort);
  if (!/^\d{1,5}$/.test(options.metricsPort) || port > 65_535)
    throw new Error('--metrics-port must be an integer from 0 to 65535');
  const metrics = new NodeMetrics(engine);
  const server = await serveMetrics(metrics.registry, {
    port,
    host: options.metricsHost ?? '127.0.0.1',
  });
  process.stdout.write(`metrics at ${server.url}/metrics\n`);
  return metrics;
}
