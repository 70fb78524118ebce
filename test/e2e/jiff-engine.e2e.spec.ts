import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { intervalHalfWidth } from '#concord/accounting';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { parseConsortium } from '#concord/consortium';
import { generateIdentitySigner, systemRandom } from '#concord/crypto';
import { outputNoiseLaw, readCatalogueDirectory, type SessionPlan } from '#concord/protocol';
import { revenuePerBoardingOracle } from '#concord/synth';
import { loadStockClient } from '#concord/jiff-engine';
import { JIFF_SOCKET_PATH, signJiffCredential } from '#concord/wire';
import { builtEntry } from '../../apps/agency-node/src/demo/repo-paths.js';
import { readIdentityFile } from '../../apps/agency-node/src/keys/identity-file.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

// The stock client used as an outsider below logs with console.log.
vi.spyOn(console, 'log').mockImplementation(() => undefined);

interface Report {
  id: string;
  state: string;
  error: { code: string; message: string } | null;
  outputs: { name: string; values: string[]; intervalHalfWidth: string }[];
}

interface NodeProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `concord node --config <file> --engine <engine>`, resolved once it logged in. */
async function startNode(configFile: string, engine: 'jiff' | 'native'): Promise<NodeProcess> {
  const child = spawn(
    process.execPath,
    [builtEntry('cli'), 'node', '--config', configFile, '--engine', engine],
    { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not log in:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      if (output.includes(`(engine ${engine})`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${String(code)}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** A stock JIFF client knocking on the coordinator's endpoint: resolves with its first error. */
function jiffAttempt(url: string, computationId: string, credential: string): Promise<string> {
  return new Promise((resolve) => {
    const JIFFClient = loadStockClient();
    const client = new JIFFClient(url, computationId, {
      party_id: 1,
      party_count: 3,
      crypto_provider: true,
      autoConnect: false,
      initialization: { credential },
      socketOptions: { path: JIFF_SOCKET_PATH, reconnection: false },
      maxInitializationRetries: -1, // never retry: JIFF reads `|| 2` and retries detached
      onConnect: () => resolve('connected'),
      onError: (_label, error) => {
        resolve(String(error));
        client.disconnect(false, false);
      },
    });
    client.connect();
  });
}

/**
 * Three agency node processes started with `--engine jiff` (the stock jiff-mpc client inside each,
 * in a worker thread) run a revenue-per-boarding report through the coordinator's JIFF endpoint.
 */
describe('the JIFF engine end to end', { timeout: 60_000 }, () => {
  let run: RunningConsortium;
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    run = await startRunningConsortium({ seed: '4243', startNodes: false });
    nodes.push(
      ...(await Promise.all(run.consortium.agencies.map((a) => startNode(a.configFile, 'jiff')))),
    );
    await run.admin.waitForAgencies();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await run?.stop();
  });

  let sessionId = '';

  it('releases every cell within the noise bound of the exact answer, and the transcript verifies', async () => {
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    expect(created.status).toBe(202);
    const report = await run.client.waitForReport<Report>(created.body.id, 60_000);
    expect(report.error, nodes.map((n) => n.output()).join('\n')).toBeNull();
    expect(report.state).toBe('completed');
    sessionId = report.id;

    const transcript = (
      await run.client.request<TranscriptExportFile>('GET', `/sessions/${report.id}/transcript`)
    ).body;
    const plan: SessionPlan = transcript.plan;
    const truth = revenuePerBoardingOracle(run.city, {
      serviceDate: run.city.serviceDate,
      maxTapsPerTokenDay: 8,
      maxCentsPerTokenDay: 500,
      maxBoardingsPerCell: 50000,
    });
    const cells = plan.outputs.reduce((n, o) => n + o.length, 0);
    const exact = { boardings: truth.boardings, revenue: truth.revenueCents };
    for (const output of plan.outputs) {
      const bound = BigInt(intervalHalfWidth(outputNoiseLaw(output), 1e-9 / cells));
      const released = report.outputs.find((o) => o.name === output.name)!.values.map(BigInt);
      const reference = exact[output.name as keyof typeof exact];
      expect(released).toHaveLength(reference.length);
      const outside = released.filter(
        (v, i) => (v > reference[i] ? v - reference[i] : reference[i] - v) > bound,
      );
      expect(outside, `${output.name}: cells outside ±${bound}`).toEqual([]);
    }

    // JIFF mode in the transcript: signed JIFF keys, the start after the three commitments, one
    // relay record per direction, no native envelope.
    const kinds = transcript.entries.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'envelope')).toEqual([]);
    expect(kinds.filter((k) => k === 'jiff.relay')).toHaveLength(6);
    expect(kinds.lastIndexOf('noise.committed')).toBeLessThan(kinds.indexOf('jiff.started'));
    const accepted = transcript.entries.filter((e) => e.kind === 'party.accepted');
    expect(accepted.every((e) => /^[0-9a-f]{64}$/.test(String(e.body.jiffKey)))).toBe(true);
    expect(transcript.seals).toHaveLength(3);

    const audit = verifyTranscriptExport(
      transcript,
      parseConsortium(JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8'))),
      readCatalogueDirectory('protocols'),
    );
    expect(audit.checks.filter((c) => !c.ok)).toEqual([]);
    expect(audit.checks.map((c) => c.name)).toContain('JIFF relay');

    // A start recorded with another prime than the plan's field implies fails its own check.
    const tampered: TranscriptExportFile = {
      ...transcript,
      entries: transcript.entries.map((e) =>
        e.kind === 'jiff.started'
          ? { ...e, body: { ...e.body, prime: String(2n ** 255n - 19n) } }
          : e,
      ),
    };
    const bad = verifyTranscriptExport(
      tampered,
      parseConsortium(JSON.parse(readFileSync(run.consortium.consortiumFile, 'utf8'))),
      readCatalogueDirectory('protocols'),
    );
    expect(bad.checks.find((c) => c.name === 'JIFF relay')?.detail).toMatch(/prime/);
  });

  it('refuses JIFF clients for computations it did not register, whatever their credential', async () => {
    const { identity } = readIdentityFile(run.consortium.agencies[0].keyFile);
    // A finished session's computation is withdrawn; an unknown id was never registered.
    for (const id of [sessionId, 'not-a-concord-session']) {
      const error = await jiffAttempt(run.coordinator.url, id, signJiffCredential(identity, id, 1));
      expect(error).toMatch(/^unknown-computation/);
    }
    // The native gateway keeps its own path: the JIFF path serves nothing else.
    const res = await fetch(`${run.coordinator.url}${JIFF_SOCKET_PATH}/?EIO=4&transport=polling`);
    expect(res.status).toBe(200);
    const native = await fetch(`${run.coordinator.url}/socket.io/?EIO=3&transport=polling`);
    expect(native.status).toBe(400);
  });

  it('refuses a credential that is not its slot’s pinned signature while a JIFF session runs', async () => {
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    const id = created.body.id;
    // Freeze the three nodes once their noise commitments are in: the session's computation is
    // then registered and stays so, whatever their JIFF clients had done.
    for (;;) {
      const { body } = await run.client.request<{ progress?: { committed?: number } }>(
        'GET',
        `/reports/${id}?values=false`,
      );
      if (body.progress?.committed === 3) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const n of nodes) n.child.kill('SIGSTOP');
    try {
      const rogue = generateIdentitySigner(systemRandom);
      const { identity: payments } = readIdentityFile(run.consortium.agencies[1].keyFile);
      let error = '';
      // Registration follows the last commitment by one durable transcript write.
      for (let i = 0; i < 100; i++) {
        error = await jiffAttempt(run.coordinator.url, id, signJiffCredential(rogue, id, 1));
        if (!error.startsWith('unknown-computation')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(error).toMatch(/^invalid-credential/);
      // Another agency's genuine credential, for its own slot, does not open slot 1.
      expect(
        await jiffAttempt(run.coordinator.url, id, signJiffCredential(payments, id, 2)),
      ).toMatch(/^invalid-credential/);
    } finally {
      for (const n of nodes) n.child.kill('SIGCONT');
    }
    const report = await run.client.waitForReport<Report>(id, 60_000);
    expect(report.error).toBeNull();
    expect(report.state).toBe('completed');
  });

  it('aborts a session cleanly when the nodes run different engines', async () => {
    const planning = run.consortium.agencies[2];
    await nodes[2].stop();
    nodes[2] = await startNode(planning.configFile, 'native');
    await run.admin.waitForAgencies();
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    const report = await run.client.waitForReport<Report>(created.body.id, 30_000);
    expect(report.state).toBe('aborted');
    expect(report.error?.code).toBe('engine-mismatch');
    expect(report.error?.message).toMatch(/party 1: jiff, party 2: jiff, party 3: native/);
    const agencies = await run.client.request<{ connected: boolean }[]>('GET', '/agencies');
    expect(agencies.body.every((a) => a.connected)).toBe(true);
    expect(nodes.every((n) => n.child.exitCode === null)).toBe(true);
  });
});
