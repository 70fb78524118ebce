import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RandomSource, systemRandom, toHex } from '#concord/crypto';
import type { AgencyRole } from '#concord/consortium';
import { readCatalogueDirectory } from '#concord/protocol';
import { writeKeyFile } from '#concord/at-rest';
import { writeIdentityFile } from '../keys/identity-file.js';
import { writeDemoConsortium } from './demo-consortium-file.js';

export interface LocalAgency {
  readonly id: string;
  readonly name: string;
  readonly role: AgencyRole;
  readonly party: 1 | 2 | 3;
  readonly configFile: string;
  readonly keyFile: string;
  /** The node's at-rest KEK file (demo only: a real KEK is kept off the data's disk). */
  readonly kekFile: string;
}

export interface LocalConsortium {
  readonly dir: string;
  readonly consortiumFile: string;
  readonly agencies: readonly LocalAgency[];
}

export const DEMO_AGENCIES: readonly {
  id: string;
  name: string;
  role: AgencyRole;
  party: 1 | 2 | 3;
}[] = [
  { id: 'metro-transit', name: 'Metro Transit Authority', role: 'transit', party: 1 },
  { id: 'farepay', name: 'FarePay Processing', role: 'payments', party: 2 },
  { id: 'city-planning', name: 'City Planning Department', role: 'planning', party: 3 },
];

/**
 * Sets up three agencies in `dir`: identity keys, the consortium file that pins them, and one node
 * configuration each (its data files, the catalogue and the protocols it approves), with a KEK
 * file per node so its ledger is sealed at rest. The KEK sits next to the data here, which keeps
 * the demo encrypted in form only: docs/security.md, 'Encryption at rest'.
 */
export function createLocalConsortium(options: {
  readonly dir: string;
  readonly coordinatorUrl: string;
  readonly protocolsDir: string;
  /** Connector files per role, e.g. transit → { 'apc-boardings-by-route-hour': { trips, boardAlight } }. */
  readonly data: Readonly<Record<AgencyRole, Record<string, Record<string, string>>>>;
  /** Protocol hashes each agency approves (default: the whole catalogue). */
  readonly approved?: Partial<Record<AgencyRole, readonly string[]>>;
  readonly rng?: RandomSource;
  readonly ledgerCapRho?: string;
  /** More node configuration, merged into every node's file (e.g. noise pools to prefill). */
  readonly nodeConfig?: Readonly<Record<string, unknown>>;
}): LocalConsortium {
  const { dir } = options;
  mkdirSync(join(dir, 'keys'), { recursive: true });
  const everything = readCatalogueDirectory(options.protocolsDir)
    .entries()
    .map((e) => e.hash);
  const agencies = DEMO_AGENCIES.map((a) => {
    const keyFile = join(dir, 'keys', `${a.id}.key.json`);
    const pair = writeIdentityFile(keyFile, a.id, options.rng ?? systemRandom);
    const kekFile = join(dir, 'keys', `${a.id}.kek`);
    writeKeyFile(kekFile, options.rng ?? systemRandom);
    return {
      ...a,
      keyFile,
      kekFile,
      configFile: join(dir, `${a.id}.node.json`),
      identityKey: toHex(pair.publicKey),
    };
  });
  const consortiumFile = join(dir, 'consortium.json');
  writeDemoConsortium(consortiumFile, agencies);
  for (const a of agencies) {
    const config = {
      agencyId: a.id,
      identityKeyFile: a.keyFile,
      consortiumFile,
      coordinatorUrl: options.coordinatorUrl,
      protocolsDir: options.protocolsDir,
      approvedProtocols: options.approved?.[a.role] ?? everything,
      data: options.data[a.role],
      ledger: { capRho: options.ledgerCapRho ?? '4', file: join(dir, `${a.id}.ledger.json`) },
      atRest: { kek: { keyFile: a.kekFile } },
      ...options.nodeConfig,
    };
    writeFileSync(a.configFile, `${JSON.stringify(config, null, 2)}\n`);
  }
  return { dir, consortiumFile, agencies: agencies.map(({ identityKey: _, ...rest }) => rest) };
}
