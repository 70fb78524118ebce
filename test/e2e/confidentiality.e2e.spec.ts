import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConsortium } from '#concord/consortium';
import { type PendingEnvelope, PartySession, type PartySessionOptions } from '#concord/engine';
import { fieldById, fromSafeIntegers, vectorToBytes } from '#concord/field';
import { readCatalogueDirectory } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { loadNodeConfig } from '../../apps/agency-node/src/config/node-config.js';
import { readIdentityFile } from '../../apps/agency-node/src/keys/identity-file.js';
import { openIdentityKey } from '#concord/keystore';
import { AgencyNode } from '../../apps/agency-node/src/node/agency-node.js';
import { CaptureProxy } from '../support/capture-proxy.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

/** Every plaintext payload a party encrypted: shares, seeds, salts, opened shares. */
const plaintexts: Uint8Array[] = [];
/** Every input vector a party shared, as the field would encode it. */
const inputs: { values: Float64Array; field: string }[] = [];

class RecordingSession extends PartySession {
  private readonly fieldId: string;

  constructor(options: PartySessionOptions) {
    super(options);
    this.fieldId = options.plan.field;
  }

  protected override seal(
    round: string,
    to: PartyIndex,
    payload: readonly Uint8Array[],
  ): PendingEnvelope[] {
    plaintexts.push(Buffer.concat(payload));
    return super.seal(round, to, payload);
  }

  override shareInputs(values: ReadonlyMap<string, ArrayLike<number>>): PendingEnvelope[] {
    for (const v of values.values())
      inputs.push({ values: Float64Array.from(v), field: this.fieldId });
    return super.shareInputs(values);
  }
}

/** True when some `width`-byte window of `needle` (every `stride` bytes) occurs in a haystack. */
function leaks(haystacks: readonly Buffer[], needle: Uint8Array, width = 24, stride = 16): boolean {
  for (let at = 0; at + width <= needle.length; at += stride) {
    const window = Buffer.from(needle.subarray(at, at + width));
    if (window.every((b) => b === 0)) continue;
    if (haystacks.some((h) => h.includes(window))) return true;
  }
  return false;
}

describe('what the coordinator sees', { timeout: 60_000 }, () => {
  let run: RunningConsortium;
  let proxy: CaptureProxy;
  const nodes: AgencyNode[] = [];

  beforeAll(async () => {
    run = await startRunningConsortium({
      seed: '77',
      startNodes: false,
      nodeUrl: async (port) => {
        const started = await CaptureProxy.start(port);
        proxy = started.proxy;
        return `http://127.0.0.1:${started.port}`;
      },
    });
    const catalogue = readCatalogueDirectory('protocols');
    for (const a of run.consortium.agencies) {
      const config = loadNodeConfig(a.configFile);
      const node = new AgencyNode({
        config,
        identity: openIdentityKey(config.identityKeyStore).signer,
        consortium: parseConsortium(JSON.parse(readFileSync(config.consortiumFile, 'utf8'))),
        catalogue,
        logger: pino({ level: 'silent' }),
        createSession: (o) => new RecordingSession(o),
      });
      nodes.push(node);
      await node.start();
    }
    await run.admin.waitForAgencies();
  }, 120_000);

  afterAll(async () => {
    for (const n of nodes) n.stop();
    await proxy?.close();
    await run?.stop();
  });

  it('contains no input vector, no share and no key in the clear', async () => {
    const created = await run.client.request<{ id: string }>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    const report = await run.client.waitForReport<{ state: string }>(created.body.id);
    expect(report.state).toBe('completed');

    const captured = proxy.capturedViews();
    expect(captured.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(10_000);
    // The instrumented parties really did encrypt shares and share inputs.
    expect(plaintexts.length).toBeGreaterThanOrEqual(12);
    expect(inputs).toHaveLength(2);

    const leakedPayloads = plaintexts.filter((p) => leaks(captured, p));
    expect(leakedPayloads).toHaveLength(0);
    for (const { values, field } of inputs) {
      const asLimbs = vectorToBytes(fromSafeIntegers(fieldById(field), values));
      expect(leaks(captured, asLimbs)).toBe(false);
      const asText = Array.from(values).join(',');
      expect(captured.some((c) => c.includes(asText.slice(0, 64)))).toBe(false);
    }
    for (const a of run.consortium.agencies) {
      const secret = readIdentityFile(a.keyFile).secretKey;
      expect(leaks(captured, secret, 16, 16)).toBe(false);
      expect(captured.some((c) => c.includes(Buffer.from(secret).toString('hex')))).toBe(false);
    }
    // The check can fail: the envelopes' clear headers are found the same way.
    expect(leaks(captured, Buffer.from(`"sessionId":"${created.body.id}"`), 24, 8)).toBe(true);
  });
});
