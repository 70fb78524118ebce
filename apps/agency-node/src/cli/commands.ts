import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { toHex } from '#concord/crypto';
import { ConfigurationError } from '#concord/errors';
import { type AgencyRole, consortiumToJson, parseConsortium } from '#concord/consortium';
import { readCatalogueDirectory } from '#concord/protocol';
import { signJiffCredential } from '#concord/wire';
import { insecureCoordinatorUrlProblem } from '../config/coordinator-url-policy.js';
import { loadNodeConfig } from '../config/node-config.js';
import { describeIdentityKeyConfig, openIdentityKey } from '#concord/keystore';
import { AgencyNode } from '../node/agency-node.js';
import { serveMetrics } from '../node/metrics-server.js';
import { NodeMetrics } from '../node/node-metrics.js';
import { stockClientMissing } from '#concord/jiff-engine';
import { createNodeLogger } from './logger.js';
import { type KeyStoreFlags, keyStoreFromFlags } from './key-store-options.js';
import { publicIdentityOf } from './keys-commands.js';
import { shippedCatalogueDir } from './shipped-catalogue.js';

/**
 * Builds the consortium file every agency pins, from the three agencies' public keys: each given
 * as a key file (plain or encrypted), a node configuration file (any key store), or a 64-hex
 * public key with `--<role>-id`.
 */
export function consortiumInit(options: {
  name: string;
  out: string;
  transit: string;
  payments: string;
  planning: string;
  transitId?: string;
  paymentsId?: string;
  planningId?: string;
}): void {
  const roles: [AgencyRole, string, string | undefined, 1 | 2 | 3][] = [
    ['transit', options.transit, options.transitId, 1],
    ['payments', options.payments, options.paymentsId, 2],
    ['planning', options.planning, options.planningId, 3],
  ];
  const agencies = roles.map(([role, spec, id, party]) => {
    const { agencyId, publicKey } = publicIdentityOf(
      spec,
      id,
      (path) => {
        const config = loadNodeConfig(path);
        return { agencyId: config.agencyId, store: config.identityKeyStore };
      },
      `--${role}`,
    );
    return { id: agencyId, name: agencyId, role, party, identityKey: toHex(publicKey) };
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
export function jiffCredential(
  options: KeyStoreFlags & { key?: string; computation: string; party: string },
): void {
  if (!/^[1-3]$/.test(options.party)) throw new Error('--party must be 1, 2 or 3');
  // `--key FILE` is the demo's plain key file; `--store …` names any key store.
  const opened = openIdentityKey(
    options.key !== undefined
      ? { store: 'plain-file', file: resolve(options.key) }
      : keyStoreFromFlags(options),
  );
  try {
    process.stdout.write(
      `${signJiffCredential(opened.signer, options.computation, Number(options.party))}\n`,
    );
  } finally {
    opened.close();
  }
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
  joinWorkers?: string;
}): Promise<void> {
  const config = loadNodeConfig(options.config);
  if (options.joinWorkers !== undefined) {
    const n = Number(options.joinWorkers);
    if (!/^\d{1,3}$/.test(options.joinWorkers) || n < 1 || n > 256)
      throw new ConfigurationError({
        setting: '--join-workers',
        requirement: 'an integer from 1 to 256',
        shown: JSON.stringify(options.joinWorkers),
      });
    config.joinWorkers = n;
  }
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
  // Every configuration refusal comes before the key store is opened (an HSM login, a passphrase).
  const insecure = insecureCoordinatorUrlProblem(
    config.coordinatorUrl,
    config.allowInsecureHttp ?? false,
  );
  if (insecure)
    throw new ConfigurationError({
      setting: 'coordinatorUrl',
      requirement: `an https:// URL, or http:// to this machine only (${insecure})`,
    });
  const logger = createNodeLogger(`agency-node:${config.agencyId}`, config.logLevel);
  const store = config.identityKeyStore;
  const opened = openIdentityKey(store);
  const identity = opened.signer;
  if (opened.agencyId !== undefined && opened.agencyId !== config.agencyId) {
    opened.close();
    throw new ConfigurationError({
      setting: 'identityKey',
      requirement: `a key of agency ${config.agencyId}`,
      shown: `${describeIdentityKeyConfig(store)}, a key of ${opened.agencyId}`,
    });
  }
  const keyInfo = {
    store: store.store,
    custody: identity.custody,
    key: describeIdentityKeyConfig(store),
  };
  process.stdout.write(`identity key: ${keyInfo.key}\n`);
  if (store.store === 'plain-file')
    logger.warn(keyInfo, 'identity key opened from a DEMO-ONLY plaintext key file');
  else logger.info(keyInfo, 'identity key opened');
  const agencyId = config.agencyId;
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
      opened.close(); // a PKCS#11 store logs out and closes its session
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
