import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privacyCharge } from '#concord/accounting';
import { looksSealed, writeKeyFile } from '#concord/at-rest';
import { Rational } from '#concord/dp';
import { atRestSeal } from '../cli/at-rest-command.js';
import { loadNodeConfig } from '../config/node-config.js';
import { ledgerStoreFor } from '../node/ledger-store.js';
import { NodeLedger } from '../node/node-ledger.js';
import { sealKeptDemoNode } from './seal-kept-demo.js';

// `npm start` on a `.data/start` kept from before encryption at rest.

describe('sealing a kept demo node', () => {
  let dir: string;
  let config: string;
  let kek: string;
  const ledger = (): string => join(dir, 'metro-transit.ledger.json');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'seal-kept-demo-'));
    config = join(dir, 'metro-transit.node.json');
    kek = join(dir, 'metro-transit.kek');
    writeFileSync(
      config,
      JSON.stringify({
        agencyId: 'metro-transit',
        identityKeyFile: 'metro-transit.key.json',
        consortiumFile: 'consortium.json',
        coordinatorUrl: 'http://127.0.0.1:3000',
        protocolsDir: 'protocols',
        approvedProtocols: [],
        data: {},
        ledger: { capRho: '4', file: ledger() },
      }),
    );
    new NodeLedger(ledger(), Rational.of(4)).charge(
      'kept-session',
      'fares',
      '2026-03-10',
      privacyCharge(Rational.of(1), Rational.of(0)),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const balance = (): string =>
    new NodeLedger(ledgerStoreFor(loadNodeConfig(config)), Rational.of(4))
      .spent('fares', '2026-03-10')
      .toString();

  it('writes a KEK file, seals the ledger with its balances, names the KEK; a second start does nothing', () => {
    const out: string[] = [];
    sealKeptDemoNode(config, kek, (t) => out.push(t));
    expect(out.join('')).toMatch(/sealed under key file/);
    expect(statSync(kek).mode & 0o777).toBe(0o600);
    expect(looksSealed(readFileSync(ledger()))).toBe(true);
    expect(balance()).toBe('1');
    const sealed = readFileSync(ledger());
    sealKeptDemoNode(config, kek, (t) => out.push(t));
    expect(readFileSync(ledger())).toEqual(sealed);
  });

  it('finishes after a crash between sealing and naming the KEK in the configuration', () => {
    writeKeyFile(kek);
    const next = `${config}.tmp`;
    const raw = JSON.parse(readFileSync(config, 'utf8')) as object;
    writeFileSync(next, JSON.stringify({ ...raw, atRest: { kek: { keyFile: kek } } }));
    atRestSeal({ config: next }, () => {});
    expect(() => loadNodeConfig(config)).toThrow(/atRest/);
    sealKeptDemoNode(config, kek, () => {});
    expect(balance()).toBe('1');
  });
});
