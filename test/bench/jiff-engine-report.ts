import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intervalHalfWidth } from '#concord/accounting';
import { outputNoiseLaw, type SessionPlan } from '#concord/protocol';
import { revenuePerBoardingOracle, type ScaleName } from '#concord/synth';
import type { TranscriptEntry } from '#concord/transcript';
import { withAllocatorTunables } from '#concord/allocator';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import type { Spawned } from '../../apps/agency-node/src/demo/processes.js';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { builtEntry, repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import {
  createSyntheticConsortium,
  type SyntheticConsortium,
} from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { startCoordinatorOnScratchDatabase } from '../support/coordinator-on-scratch-database.js';

type Engine = 'native' | 'jiff';

export interface EngineReportRun {
  readonly scale: ScaleName;
  readonly engine: Engine;
  readonly cells: number;
  readonly state: string;
  /** Request to completed report, as an analyst sees it (polled every 10 ms). */
  readonly wallMs: number;
  /** Start of the data rounds to the last party's result, from the transcript's timestamps. */
  readonly dataMs: number;
  /** Every released cell within its 1 − 1e-9 noise bound of the synthetic city's exact answer. */
  readonly correct: boolean;
  readonly note?: string;
}

export interface EngineReportRow {
  readonly scale: ScaleName;
  readonly native: EngineReportRun;
  readonly jiff: EngineReportRun;
  /** JIFF engine wall time over native wall time. */
  readonly ratio: number;
}

interface Report {
  id: string;
  state: string;
  error: { code: string; message: string } | null;
  outputs: { name: string; values: string[] }[];
}

/**
 * The revenue-per-boarding report on a synthetic city, through the same coordinator once with
 * three native nodes and once with three nodes started with `--engine jiff` (the stock jiff-mpc
 * client inside each). Same plan, same noise, same release; only the data rounds differ.
 */
export async function benchJiffEngineReport(
  scales: readonly ScaleName[],
  timeoutMs = 300_000,
): Promise<EngineReportRow[]> {
  const rows: EngineReportRow[] = [];
  for (const scale of scales) {
    const bench = await startEngineBench(scale);
    try {
      const native = await bench.report('native', '2026-01-01', timeoutMs);
      const jiff = await bench.report('jiff', '2026-01-02', timeoutMs);
      rows.push({ scale, native, jiff, ratio: jiff.wallMs / native.wallMs });
    } finally {
      await bench.stop();
    }
  }
  return rows;
}

interface EngineBench {
  report(engine: Engine, day: string, timeoutMs: number): Promise<EngineReportRun>;
  stop(): Promise<void>;
}

async function startEngineBench(scale: ScaleName): Promise<EngineBench> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-jiff-'));
  const port = await freePort();
  const setup: SyntheticConsortium = createSyntheticConsortium({
    dir,
    seed: '2026',
    scale,
    coordinatorUrl: `http://127.0.0.1:${port}`,
    protocolsDir: join(repoRoot(), 'protocols'),
    ledgerCapRho: '100',
  });
  let dropDatabase = async (): Promise<void> => {};
  let coordinator: Spawned | undefined;
  let nodes: NodeProcess[] = [];
  const stopNodes = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    nodes = [];
  };
  const stop = async (): Promise<void> => {
    await stopNodes();
    await coordinator?.stop();
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = await startCoordinatorOnScratchDatabase({
      PORT: String(port),
      CONSORTIUM_FILE: setup.consortium.consortiumFile,
      PUBLIC_DATA_DIR: setup.publicDataDir,
      PROTOCOLS_DIR: join(repoRoot(), 'protocols'),
      LEDGER_CAP_RHO: '100',
      SESSION_TIMEOUT_MS: '600000',
      // Polled every 10 ms for minutes: the analyst rate limit must not pace the measurement.
      RATE_LIMIT_PER_MINUTE: '1000000',
    });
    coordinator = started.coordinator;
    dropDatabase = started.dropDatabase;
    const client = new ReportClient(started.coordinator.url, started.adminToken);
    return {
      async report(engine, day, timeoutMs) {
        await stopNodes();
        nodes = await Promise.all(
          setup.consortium.agencies.map((a) => startNode(a.configFile, engine)),
        );
        await client.waitForAgencies();
        return runReport(client, setup, scale, engine, day, timeoutMs);
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function runReport(
  client: ReportClient,
  setup: SyntheticConsortium,
  scale: ScaleName,
  engine: Engine,
  day: string,
  timeoutMs: number,
): Promise<EngineReportRun> {
  const started = performance.now();
  const created = await client.request<Report>('POST', '/reports', {
    protocol: 'revenue-per-boarding',
    parameters: { serviceDate: setup.serviceDate },
    budget: '1/2',
    requestId: `bench-${engine}-${day}`,
  });
  if (created.status !== 202) throw new Error(`report refused: ${JSON.stringify(created.body)}`);
  const report = await waitFast(client, created.body.id, timeoutMs);
  const wallMs = performance.now() - started;
  const { body } = await client.request<{ plan: SessionPlan; entries: TranscriptEntry[] }>(
    'GET',
    `/sessions/${created.body.id}/transcript`,
  );
  const cells = body.plan.outputs.reduce((n, o) => n + o.length, 0);
  const start = body.entries.find(
    (e) => e.kind === 'jiff.started' || (e.kind === 'envelope' && e.body.round === 'input'),
  );
  const results = body.entries.filter((e) => e.kind === 'party.result');
  const dataMs =
    start && results.length > 0
      ? Date.parse(results.at(-1)!.at) - Date.parse(start.at)
      : Number.NaN;
  return {
    scale,
    engine,
    cells,
    state: report?.state ?? 'timeout',
    wallMs,
    dataMs,
    correct: report?.state === 'completed' && withinNoise(report, body.plan, setup),
    ...(report?.error ? { note: `${report.error.code}: ${report.error.message}` } : {}),
  };
}

async function waitFast(
  client: ReportClient,
  id: string,
  timeoutMs: number,
): Promise<Report | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { status, body } = await client.request<Report>('GET', `/reports/${id}?values=false`);
    if (status !== 200) throw new Error(`polling the report failed with HTTP ${status}`);
    if (body.state === 'completed' || body.state === 'aborted')
      return (await client.request<Report>('GET', `/reports/${id}`)).body;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

/** Every released cell within the 1 − 1e-9 (union bound) noise interval of the exact answer. */
function withinNoise(report: Report, plan: SessionPlan, setup: SyntheticConsortium): boolean {
  const truth = revenuePerBoardingOracle(setup.city, {
    serviceDate: setup.city.serviceDate,
    maxTapsPerTokenDay: 8,
    maxCentsPerTokenDay: 500,
    maxBoardingsPerCell: 50000,
  });
  const exact: Record<string, readonly bigint[]> = {
    boardings: truth.boardings,
    revenue: truth.revenueCents,
  };
  const cells = plan.outputs.reduce((n, o) => n + o.length, 0);
  return plan.outputs.every((output) => {
    const bound = BigInt(intervalHalfWidth(outputNoiseLaw(output), 1e-9 / cells));
    const released = report.outputs.find((o) => o.name === output.name)?.values.map(BigInt) ?? [];
    const reference = exact[output.name] ?? [];
    return (
      released.length === reference.length &&
      released.every((v, i) => (v > reference[i] ? v - reference[i] : reference[i] - v) <= bound)
    );
  });
}

interface NodeProcess {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** `concord node --config <file> --engine <engine>`, once it has logged in. */
async function startNode(configFile: string, engine: Engine): Promise<NodeProcess> {
  const child = spawn(
    process.execPath,
    [builtEntry('cli'), 'node', '--config', configFile, '--engine', engine],
    {
      env: withAllocatorTunables({ ...process.env, LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not log in:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
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
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
