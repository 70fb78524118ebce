import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  analyzeProtocol,
  compileSessionPlan,
  parseProtocolDefinition,
  type ProtocolDefinition,
} from '#concord/protocol';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import {
  createLocalConsortium,
  type LocalConsortium,
} from '../../apps/agency-node/src/demo/local-consortium.js';
import { startNodeProcess, type Spawned } from '../../apps/agency-node/src/demo/processes.js';
import { processCpuMs } from './process-cpu.js';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { startCoordinatorOnScratchDatabase } from '../support/coordinator-on-scratch-database.js';

export const BENCH_SEEDS = {
  transit: 'bench-transit',
  payments: 'bench-payments',
  planning: 'bench-planning',
} as const;
const PARTIES = { transit: 1, payments: 2, planning: 3 } as const;

export interface BenchConsortium {
  readonly client: ReportClient;
  readonly consortium: LocalConsortium;
  /** CPU time used so far (ms): the coordinator process (its PGlite worker included), each node. */
  cpuMs(): { readonly coordinator: number; readonly nodes: readonly number[] };
  stop(): Promise<void>;
}

/**
 * A coordinator process and three agency node processes on loopback serving the given benchmark
 * protocols, the nodes' noise pools filled for them before they connect (as an agency would
 * provision for its approved protocols), so sampling stays off the measured path.
 */
export async function startBenchConsortium(
  protocols: readonly ProtocolDefinition[],
  budget: string,
  runsEach: number,
): Promise<BenchConsortium> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-'));
  const catalogue = join(dir, 'protocols');
  mkdirSync(catalogue);
  mkdirSync(join(dir, 'public'));
  const prefill = new Map<string, number>();
  for (const p of protocols) {
    writeFileSync(join(catalogue, `${p.id}.json`), JSON.stringify(p));
    const plan = compileSessionPlan(
      analyzeProtocol(parseProtocolDefinition(JSON.parse(JSON.stringify(p)))),
      {
        sessionId: 'sizing',
        parameters: { serviceDate: '2026-01-01' },
        axisValues: {},
        budget,
        parties: PARTIES,
      },
    );
    for (const o of plan.outputs) {
      if (o.noise.mechanism !== 'discrete-gaussian') continue;
      prefill.set(
        o.noise.shareSigma2,
        (prefill.get(o.noise.shareSigma2) ?? 0) + o.length * runsEach,
      );
    }
  }
  const port = await freePort();
  const consortium = createLocalConsortium({
    dir,
    coordinatorUrl: `http://127.0.0.1:${port}`,
    protocolsDir: catalogue,
    ledgerCapRho: '1000',
    data: {
      transit: { 'seeded-vector': { seed: BENCH_SEEDS.transit } },
      payments: { 'seeded-vector': { seed: BENCH_SEEDS.payments } },
      planning: { 'seeded-vector': { seed: BENCH_SEEDS.planning } },
    },
    // Twice what the runs draw: the pools never fall below their low-water mark mid-benchmark.
    nodeConfig: {
      noise: {
        prefill: [...prefill].map(([shareSigma2, count]) => ({ shareSigma2, count: 2 * count })),
      },
    },
  });
  const spawned: Spawned[] = [];
  let dropDatabase = async (): Promise<void> => {};
  /** Stops every process started so far, drops the scratch database, removes the directory. */
  const teardown = async (): Promise<void> => {
    await Promise.all(spawned.map((s) => s.stop()));
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const started = await startCoordinatorOnScratchDatabase({
      PORT: String(port),
      CONSORTIUM_FILE: consortium.consortiumFile,
      PUBLIC_DATA_DIR: join(dir, 'public'),
      PROTOCOLS_DIR: catalogue,
      LEDGER_CAP_RHO: '1000',
    });
    const { coordinator, adminToken } = started;
    dropDatabase = started.dropDatabase;
    spawned.push(coordinator);
    for (const a of consortium.agencies)
      spawned.push(startNodeProcess(a.configFile, { LOG_LEVEL: 'warn' }));
    const client = new ReportClient(coordinator.url, adminToken);
    await client.waitForAgencies(600_000);
    return {
      client,
      consortium,
      cpuMs: () => ({
        coordinator: processCpuMs(coordinator.process.pid),
        nodes: spawned.filter((s) => s !== coordinator).map((s) => processCpuMs(s.process.pid)),
      }),
      stop: teardown,
    };
  } catch (e) {
    await teardown();
    throw e;
  }
}
