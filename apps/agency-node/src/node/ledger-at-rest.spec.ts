import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privacyCharge } from '#concord/accounting';
import { AtRestError, writeKeyFile } from '#concord/at-rest';
import { parseConsortium } from '#concord/consortium';
import {
  generateIdentityKeyPair,
  type IdentityKeyPair,
  seededRandom,
  toHex,
} from '#concord/crypto';
import { Rational } from '#concord/dp';
import { readCatalogueDirectory } from '#concord/protocol';
import { atRestSeal } from '../cli/at-rest-command.js';
import { loadNodeConfig } from '../config/node-config.js';
import { AgencyNode } from './agency-node.js';
import { ledgerStoreFor, plaintextLedgerStore } from './ledger-store.js';
import { NodeLedgerError } from './node-ledger-error.js';
import { NodeLedger } from './node-ledger.js';

// The agency ledger sealed at rest (docs/security.md, 'Encryption at rest'): nothing of it in
// clear on disk, and a file that does not open stops the node instead of being replaced.

const SESSION = 'sess-5f1c2a9e-request-0b7d';
const SCOPE = 'fares-and-ridership';
const WINDOW = '2026-03-10';
const rng = seededRandom('ledger-at-rest.spec');
const catalogue = readCatalogueDirectory('protocols');

describe('the node ledger sealed at rest', () => {
  let dir: string;
  let identity: IdentityKeyPair;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-at-rest-'));
    identity = generateIdentityKeyPair(rng);
    writeKeyFile(join(dir, 'node.kek'), rng);
    writeKeyFile(join(dir, 'other.kek'), rng);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A node configuration file in `dir`, as an operator writes it. */
  function configFile(atRest: object, name = 'node.json'): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      JSON.stringify({
        agencyId: 'metro-transit',
        identityKeyFile: 'unused.key.json',
        consortiumFile: 'unused.json',
        coordinatorUrl: 'http://127.0.0.1:9',
        protocolsDir: 'protocols',
        approvedProtocols: [],
        data: {},
        ledger: { capRho: '4', file: 'ledger.json' },
        atRest,
      }),
    );
    return file;
  }
  const sealedConfig = (): string => configFile({ kek: { keyFile: 'node.kek' } });
  const ledgerFile = (): string => join(dir, 'ledger.json');

  function chargeOne(file: string): void {
    const config = loadNodeConfig(file);
    const ledger = new NodeLedger(ledgerStoreFor(config), Rational.of(4));
    ledger.charge(SESSION, SCOPE, WINDOW, privacyCharge(Rational.parse('1/2'), Rational.of(0)));
    ledger.markDataPhaseStarted(SESSION);
  }

  /** The node's real construction path: it opens its ledger before it ever connects. */
  function startNode(file: string): AgencyNode {
    const consortium = parseConsortium({
      name: 'Test City',
      agencies: [
        { id: 'metro-transit', role: 'transit', identityKey: toHex(identity.publicKey) },
        {
          id: 'farepay',
          role: 'payments',
          identityKey: toHex(generateIdentityKeyPair(rng).publicKey),
        },
        {
          id: 'city-planning',
          role: 'planning',
          identityKey: toHex(generateIdentityKeyPair(rng).publicKey),
        },
      ].map((a, i) => ({ ...a, name: a.id, party: i + 1 })),
    });
    const node = new AgencyNode({
      config: loadNodeConfig(file),
      identity,
      consortium,
      catalogue,
      logger: pino({ level: 'silent' }),
      configFile: file,
    });
    node.stop();
    return node;
  }

  function refusal(f: () => unknown): AtRestError {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(AtRestError);
      expect((e as Error).message).toContain(ledgerFile());
      return e as AtRestError;
    }
    throw new Error('expected the ledger to be refused');
  }

  it('keeps none of the ledger in clear on disk, and reads it back under the same KEK', () => {
    const file = sealedConfig();
    chargeOne(file);
    const disk = readFileSync(ledgerFile());
    for (const clear of [
      SESSION,
      'sess-',
      'request',
      SCOPE,
      WINDOW,
      'charge',
      'concord-node-ledger',
      '1/2',
    ])
      expect(disk.includes(clear), `the file shows ${clear}`).toBe(false);
    const again = new NodeLedger(ledgerStoreFor(loadNodeConfig(file)), Rational.of(4));
    expect(again.spent(SCOPE, WINDOW).toString()).toBe('1/2');
    expect(again.session(SESSION)?.dataPhaseStarted).toBe(true);
    expect(() => startNode(file)).not.toThrow();
  });

  it('refuses to start on a tampered ledger, naming the file, and leaves the file as it was', () => {
    const file = sealedConfig();
    chargeOne(file);
    const sealed = readFileSync(ledgerFile());
    for (const at of [0, 8, 12, 30, sealed.length - 40, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at] ^= 0x04;
      writeFileSync(ledgerFile(), tampered);
      const e = refusal(() => startNode(file));
      expect(e.message).toContain('refused and not used');
      expect(readFileSync(ledgerFile())).toEqual(tampered);
    }
    writeFileSync(ledgerFile(), sealed.subarray(0, sealed.length - 5));
    expect(['at-rest-tampered', 'at-rest-truncated']).toContain(
      refusal(() => startNode(file)).code,
    );
  });

  it('refuses a ledger sealed under another KEK, or for another agency', () => {
    chargeOne(sealedConfig());
    const other = configFile({ kek: { keyFile: 'other.kek' } }, 'other.json');
    expect(refusal(() => startNode(other)).code).toBe('at-rest-wrong-key');
    // Same KEK, the file copied to another agency's node: its context does not match.
    const config = loadNodeConfig(sealedConfig());
    config.agencyId = 'farepay';
    expect(refusal(() => new NodeLedger(ledgerStoreFor(config), Rational.of(4))).code).toBe(
      'at-rest-tampered',
    );
  });

  it('refuses a plaintext ledger with the one command that converts it, which then does', () => {
    const plain = new NodeLedger(plaintextLedgerStore(ledgerFile()), Rational.of(4));
    plain.charge(SESSION, SCOPE, WINDOW, privacyCharge(Rational.of(1), Rational.of(0)));
    const file = sealedConfig();
    const e = refusal(() => startNode(file));
    expect(e.code).toBe('at-rest-not-sealed');
    expect(e.message).toContain(`concord at-rest seal --config ${file}`);

    const out: string[] = [];
    atRestSeal({ config: file }, (t) => out.push(t));
    expect(out.join('')).toMatch(/ledger\.json: sealed under key file .*node\.kek/);
    expect(readFileSync(ledgerFile()).includes(SESSION)).toBe(false);
    const sealed = new NodeLedger(ledgerStoreFor(loadNodeConfig(file)), Rational.of(4));
    expect(sealed.spent(SCOPE, WINDOW).toString()).toBe('1');
    atRestSeal({ config: file }, (t) => out.push(t));
    expect(out.at(-1)).toMatch(/already sealed/);
  });

  it('keeps a ledger in clear only when the configuration says plaintext, and then refuses a sealed one', () => {
    const plainConfig = configFile({ plaintext: 'demo-only' }, 'plain.json');
    chargeOne(plainConfig);
    expect(readFileSync(ledgerFile(), 'utf8')).toContain(SESSION);
    rmSync(ledgerFile());
    chargeOne(sealedConfig());
    expect(() => startNode(plainConfig)).toThrow(NodeLedgerError);
    expect(() => startNode(plainConfig)).toThrow(/is sealed .* configure atRest\.kek/);
  });
});
