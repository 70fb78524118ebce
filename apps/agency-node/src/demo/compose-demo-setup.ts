import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemRandom, toHex } from '#concord/crypto';
import { readCatalogueDirectory } from '#concord/protocol';
import { generateCity, writeCity } from '#concord/synth';
import { writeKeyFile } from '#concord/at-rest';
import { writeIdentityFile } from '../keys/identity-file.js';
import { writeDemoConsortium } from './demo-consortium-file.js';
import { makeDevCertificates } from './dev-certificates.js';
import { DEMO_AGENCIES } from './local-consortium.js';
import { syntheticConnectorData, syntheticServiceDays } from './synthetic-consortium.js';
import { isoDate } from '../connectors/connector.js';

/**
 * The one-shot `init` service of docker/compose.yaml: sets up a demo consortium in the named
 * volumes, as the container's own user (uid 1000), so every file is owned by the uid the services
 * run as. Written once; a second run (a restarted stack) changes nothing.
 *
 * - CONFIG_DIR (shared, read-only to the services): consortium.json, the synthetic city, the node
 *   configurations, tls/ca.pem, demo.json (the service date a report asks for);
 * - KEYS_DIR/<role>: each agency's identity key and at-rest KEK file (0600), one volume per
 *   agency, so a node mounts its own keys only (read-only), apart from its ledger's volume;
 * - PROXY_TLS_DIR: the proxy's certificate and key (names: `proxy`, `localhost`, 127.0.0.1).
 *   The private CA's key is discarded once that certificate is signed.
 */
export function setUpComposeDemo(env: NodeJS.ProcessEnv): void {
  const configDir = env.CONFIG_DIR ?? '/config';
  const keysDir = env.KEYS_DIR ?? '/keys';
  const proxyTlsDir = env.PROXY_TLS_DIR ?? '/proxy-tls';
  const protocolsDir = env.PROTOCOLS_DIR ?? '/app/protocols';
  const coordinatorUrl = env.COORDINATOR_URL ?? 'https://proxy:8443';
  const done = join(configDir, 'demo.json');
  if (existsSync(done)) {
    process.stdout.write(`concord setup: ${done} exists; nothing to do\n`);
    return;
  }
  const city = generateCity({
    seed: env.CONCORD_SEED ?? '2026',
    scale: 'small',
    fareDays: syntheticServiceDays('small'),
    apcDays: syntheticServiceDays('small'),
  });
  const cityDir = join(configDir, 'city');
  writeCity(city, cityDir);
  const data = syntheticConnectorData(cityDir);

  const agencies = DEMO_AGENCIES.map((a) => {
    mkdirSync(join(keysDir, a.role), { recursive: true });
    const keyFile = join(keysDir, a.role, `${a.id}.key.json`);
    const pair = writeIdentityFile(keyFile, a.id, systemRandom);
    const kekFile = join(keysDir, a.role, `${a.id}.kek`);
    writeKeyFile(kekFile, systemRandom);
    return { ...a, keyFile, kekFile, identityKey: toHex(pair.publicKey) };
  });
  const consortiumFile = join(configDir, 'consortium.json');
  writeDemoConsortium(consortiumFile, agencies);

  const tls = makeDevCertificates({
    dir: proxyTlsDir,
    names: ['proxy', 'localhost', '127.0.0.1'],
    days: 365,
  });
  mkdirSync(join(configDir, 'tls'), { recursive: true });
  writeFileSync(join(configDir, 'tls', 'ca.pem'), tls.ca);

  const approved = readCatalogueDirectory(protocolsDir)
    .entries()
    .map((e) => e.hash);
  mkdirSync(join(configDir, 'nodes'), { recursive: true });
  for (const a of agencies) {
    const config = {
      agencyId: a.id,
      identityKeyFile: a.keyFile,
      consortiumFile,
      coordinatorUrl,
      caFile: join(configDir, 'tls', 'ca.pem'),
      protocolsDir,
      approvedProtocols: approved,
      data: data[a.role],
      // A volume of its own per node: the ledger is the one file a node writes, sealed under a
      // KEK kept in the node's key volume (a demo stand-in for an HSM or KMS key).
      ledger: { capRho: '4', file: '/data/ledger.json' },
      atRest: { kek: { keyFile: a.kekFile } },
    };
    writeFileSync(
      join(configDir, 'nodes', `${a.role}.node.json`),
      `${JSON.stringify(config, null, 2)}\n`,
    );
  }
  const d = city.serviceDate;
  const serviceDate = isoDate(d);
  // Last, through a rename: its presence means the whole setup is there.
  writeFileSync(`${done}.tmp`, `${JSON.stringify({ serviceDate }, null, 2)}\n`);
  renameSync(`${done}.tmp`, done);
  process.stdout.write(
    `concord setup: consortium, keys, node configurations and TLS written (service date ${serviceDate})\n`,
  );
}
