import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privacyCharge } from '#concord/accounting';
import { AtRestError, writeKeyFile } from '#concord/at-rest';
import { seededRandom } from '#concord/crypto';
import { Rational } from '#concord/dp';
import { ConfigurationError } from '#concord/errors';
import { loadNodeConfig } from '../config/node-config.js';
import { kekRingFor } from '../node/at-rest-keys.js';
import { ledgerStoreFor } from '../node/ledger-store.js';
import { NodeLedger } from '../node/node-ledger.js';
import { atRestGenerateKey, atRestRewrap } from './at-rest-command.js';

// `concord at-rest rewrap` (docs/operations.md, 'Rotating the at-rest KEK').

const rng = seededRandom('at-rest-command.spec');
const SESSION = 'sess-rotation-1';
const PASSPHRASE = 'a passphrase only the operator knows';

/** Where the body (ciphertext and tag) of a sealed file starts, past its key slot. */
function bodyOf(sealed: Buffer): Buffer {
  const idLen = sealed[21];
  const keyLen = sealed.readUInt16BE(22 + idLen);
  return sealed.subarray(24 + idLen + keyLen);
}

describe('concord at-rest rewrap', () => {
  let dir: string;
  let out: string[];
  const write = (text: string): void => {
    out.push(text);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'at-rest-command-'));
    out = [];
    writeKeyFile(join(dir, 'old.kek'), rng);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function configFile(kek: object, name: string): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      JSON.stringify({
        agencyId: 'city-planning',
        identityKeyFile: 'unused.key.json',
        consortiumFile: 'unused.json',
        coordinatorUrl: 'http://127.0.0.1:9',
        protocolsDir: 'protocols',
        approvedProtocols: [],
        data: {},
        ledger: { capRho: '4', file: 'ledger.json' },
        atRest: { kek },
      }),
    );
    return file;
  }
  const ledgerOf = (file: string, env: NodeJS.ProcessEnv = {}): NodeLedger => {
    const config = loadNodeConfig(file);
    const ring = kekRingFor(config.atRest!.kek!, env);
    return new NodeLedger(ledgerStoreFor(config, { ring }), Rational.of(4));
  };

  it('re-wraps the ledger under the new KEK, body unchanged; only the new KEK opens it', () => {
    const oldConfig = configFile({ keyFile: 'old.kek' }, 'node.json');
    ledgerOf(oldConfig).charge(
      SESSION,
      'fares',
      '2026-03-10',
      privacyCharge(Rational.of(1), Rational.of(0)),
    );
    const before = readFileSync(join(dir, 'ledger.json'));

    atRestGenerateKey({ out: join(dir, 'new.kek') }, write);
    expect(out[0]).toMatch(/new\.kek \(KEK key:[0-9a-f]{16}, mode 0600\)/);
    atRestRewrap({ config: oldConfig, newKeyFile: join(dir, 'new.kek') }, write);
    expect(out[1]).toMatch(
      /ledger\.json: rewrapped under KEK key:[0-9a-f]{16} \(data not re-encrypted\)/,
    );
    expect(out[2]).toContain(
      `next: set "atRest": { "kek": { "keyFile": "${join(dir, 'new.kek')}" } } in ${oldConfig}`,
    );

    const after = readFileSync(join(dir, 'ledger.json'));
    expect(after).not.toEqual(before);
    expect(bodyOf(after)).toEqual(bodyOf(before));
    try {
      ledgerOf(oldConfig);
      expect.unreachable('the old KEK still opened the ledger');
    } catch (e) {
      expect(e).toBeInstanceOf(AtRestError);
      expect((e as AtRestError).code).toBe('at-rest-wrong-key');
    }
    const newConfig = configFile({ keyFile: 'new.kek' }, 'new.json');
    expect(ledgerOf(newConfig).session(SESSION)?.status).toBe('charged');

    // Run again (an interrupted rotation finished): nothing to do.
    atRestRewrap({ config: newConfig, newKeyFile: join(dir, 'new.kek') }, write);
    expect(out[3]).toMatch(/already under KEK key:/);
    expect(readFileSync(join(dir, 'ledger.json'))).toEqual(after);
  });

  it('rotates to a passphrase KEK named by an environment variable', () => {
    const oldConfig = configFile({ keyFile: 'old.kek' }, 'node.json');
    ledgerOf(oldConfig).charge(
      SESSION,
      'fares',
      '2026-03-10',
      privacyCharge(Rational.of(1), Rational.of(0)),
    );
    const env = { NODE_PASSPHRASE: PASSPHRASE };
    atRestRewrap({ config: oldConfig, newPassphraseEnv: 'NODE_PASSPHRASE' }, write, env);
    expect(out[0]).toMatch(/rewrapped under KEK scrypt:17:8:1:/);
    const newConfig = configFile({ passphraseEnv: 'NODE_PASSPHRASE' }, 'new.json');
    expect(ledgerOf(newConfig, env).spent('fares', '2026-03-10').toString()).toBe('1');
    expect(() => ledgerOf(newConfig, { NODE_PASSPHRASE: 'another passphrase, not it' })).toThrow(
      /sealed under KEK "scrypt:.*" \(as the file says\), which the configured passphrase in NODE_PASSPHRASE is not/,
    );
  });

  it('takes exactly one new KEK, and refuses a node kept in clear', () => {
    const config = configFile({ keyFile: 'old.kek' }, 'node.json');
    expect(() => atRestRewrap({ config }, write)).toThrow(ConfigurationError);
    expect(() => atRestRewrap({ config, newKeyFile: 'a', newKeyEnv: 'B' }, write)).toThrow(
      /exactly one of them/,
    );
    const plain = join(dir, 'plain.json');
    writeFileSync(
      plain,
      JSON.stringify({
        ...JSON.parse(readFileSync(config, 'utf8')),
        atRest: { plaintext: 'demo-only' },
      }),
    );
    expect(() => atRestRewrap({ config: plain, newKeyFile: join(dir, 'old.kek') }, write)).toThrow(
      /keeps the node's files in clear/,
    );
  });
});
