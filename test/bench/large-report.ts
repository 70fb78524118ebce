import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CityManifest, writeCityStreamParallel } from '#concord/synth';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import { createLocalConsortium } from '../../apps/agency-node/src/demo/local-consortium.js';
import { startNodeProcess, type Spawned } from '../../apps/agency-node/src/demo/processes.js';
import { ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import { syntheticConnectorData } from '../../apps/agency-node/src/demo/synthetic-consortium.js';
import { startCoordinatorOnScratchDatabase } from '../support/coordinator-on-scratch-database.js';
import { isoDate } from '../../apps/agency-node/src/connectors/connector.js';
import { readCsv } from '../../apps/agency-node/src/connectors/csv-rows.js';
import { revenueInPlaintext, revenuePlan } from './revenue-plaintext.js';

export interface LargeReportFigures {
  /** Service days in the city; a 30-day city is reported on whole, any other on its first day. */
  readonly days: number;
  readonly protocol: string;
  readonly taps: number;
  /** `concord synth`'s streaming writer, the days on two worker threads; undefined when reused. */
  readonly generateMs: number | undefined;
  /**
   * Nodes started to every input's coverage announced: each node scans its files for the dates
   * they hold before it announces them (and would otherwise be scanning during the report).
   */
  readonly coverageMs: number;
  /** Request to completed report, through the coordinator and three node processes. */
  readonly reportMs: number;
  /**
   * The trusted-single-party baseline, after the report: the same two connectors over the same
   * files in this process, one after the other (what one party holding both agencies' data would
   * do; the released outputs are their two vectors).
   */
  readonly plaintextMs: number;
  /** Peak resident memory of each process over the whole run (Linux VmHWM), in MB. */
  readonly peakRssMb: Readonly<Record<'coordinator' | 'transit' | 'payments' | 'planning', number>>;
  /** User and system CPU seconds of each process over the whole run (Linux /proc). */
  readonly cpuSeconds: Readonly<
    Record<'coordinator' | 'transit' | 'payments' | 'planning', number>
  >;
  /** Sealed data-round envelope bytes the nodes sent the coordinator, all parties together. */
  readonly envelopeBytesIn: number;
}

/**
 * (k) the large synthetic city through the real path: `concord synth`'s streaming writer (or a
 * city it wrote before, `existingCity`), then a revenue-per-boarding report through the
 * coordinator and three node processes reading the files with the catalogue's connectors: over
 * the whole month (`revenue-per-boarding-30-days`) for a 30-day city, else over its first day.
 */
export async function benchLargeReport(
  days: number,
  existingCity?: string,
): Promise<LargeReportFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'concord-bench-large-'));
  const cityDir = existingCity ?? join(dir, 'city');
  const root = repoRoot();
  const spawned: Spawned[] = [];
  let dropDatabase = async (): Promise<void> => {};
  try {
    const started = performance.now();
    const manifest = existingCity
      ? reusedCity(existingCity, days)
      : await writeCityStreamParallel({ seed: 2026, scale: 'large', days }, cityDir);
    const generateMs = existingCity ? undefined : performance.now() - started;
    const protocol =
      days === 30 ? 'revenue-per-boarding-30-days' : ('revenue-per-boarding' as const);
    const port = await freePort();
    const consortium = createLocalConsortium({
      dir,
      coordinatorUrl: `http://127.0.0.1:${port}`,
      protocolsDir: join(root, 'protocols'),
      ledgerCapRho: '1000',
      data: syntheticConnectorData(cityDir),
    });
    const coordinator = await startCoordinatorOnScratchDatabase({
      PORT: String(port),
      CONSORTIUM_FILE: consortium.consortiumFile,
      PUBLIC_DATA_DIR: join(cityDir, 'public'),
      PROTOCOLS_DIR: join(root, 'protocols'),
      LEDGER_CAP_RHO: '1000',
      // Reading a month of taps takes minutes, past the default five-minute session deadline.
      SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS),
    });
    dropDatabase = coordinator.dropDatabase;
    spawned.push(coordinator.coordinator);
    for (const a of consortium.agencies)
      spawned.push(startNodeProcess(a.configFile, { LOG_LEVEL: 'warn' }));
    const admin = new ReportClient(coordinator.coordinator.url, coordinator.adminToken);
    const starting = performance.now();
    await admin.waitForAgencies(300_000);
    await waitForCoverage(admin, protocol, 1_800_000);
    const coverageMs = performance.now() - starting;
    // One report, timed from the request: a warm-up would read the day's files once more.
    const serviceDate = isoDate(manifest.serviceDates[0]);
    const requested = performance.now();
    const created = await admin.request<{ id: string }>('POST', '/reports', {
      protocol,
      parameters: { serviceDate },
      budget: '1/2',
      requestId: `bench-large-${randomUUID()}`,
    });
    const report = await admin.waitForReport<{ state: string; error?: unknown }>(
      created.body.id,
      SESSION_TIMEOUT_MS,
    );
    const reportMs = performance.now() - requested;
    if (report.state !== 'completed')
      throw new Error(`the large report ${report.state}: ${JSON.stringify(report.error ?? null)}`);
    const plaintextMs = await plaintextReport(cityDir, protocol, serviceDate);
    const metrics = await fetch(`${coordinator.coordinator.url}/metrics`).then((r) => r.text());
    const [coord, transit, payments, planning] = spawned.map(peakRssMb);
    const [coordCpu, transitCpu, paymentsCpu, planningCpu] = spawned.map(cpuSeconds);
    return {
      days,
      protocol,
      taps: manifest.files['payments/fare_transactions.csv']?.rows ?? Number.NaN,
      generateMs,
      coverageMs,
      reportMs,
      plaintextMs,
      peakRssMb: { coordinator: coord, transit, payments, planning },
      cpuSeconds: {
        coordinator: coordCpu,
        transit: transitCpu,
        payments: paymentsCpu,
        planning: planningCpu,
      },
      envelopeBytesIn: envelopeBytes(metrics, 'in'),
    };
  } finally {
    await Promise.all(spawned.map((s) => s.stop()));
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same report's two connectors in this process, timed from the plan to both vectors. */
async function plaintextReport(
  cityDir: string,
  protocol: 'revenue-per-boarding' | 'revenue-per-boarding-30-days',
  serviceDate: string,
): Promise<number> {
  const routes: string[] = [];
  for await (const row of readCsv(join(cityDir, 'transit', 'routes.txt'), ['route_id']))
    routes.push(row.get('route_id'));
  return revenueInPlaintext(
    revenuePlan(protocol, serviceDate, routes),
    syntheticConnectorData(cityDir),
  );
}

/** A month report's deadline: far above what it takes, so that a slow run is measured, not cut. */
const SESSION_TIMEOUT_MS = 1_800_000;

/** Polls the coverage until every input of `protocol` announced its dates. */
async function waitForCoverage(
  client: ReportClient,
  protocol: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { body } = await client.request<{
      protocols: { id: string; inputs: { kind: string }[] }[];
    }>('GET', '/catalogue/coverage');
    const inputs = body.protocols.find((p) => p.id === protocol)?.inputs ?? [];
    if (inputs.length > 0 && inputs.every((i) => i.kind === 'dated')) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the nodes did not announce their coverage of ${protocol} in time`);
}

/** The manifest of a large city `concord synth` wrote before, checked to hold `days` days. */
function reusedCity(cityDir: string, days: number): CityManifest {
  const path = join(cityDir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${cityDir} holds no manifest.json: not a synthetic city`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as CityManifest;
  if (manifest.scale !== 'large' || manifest.serviceDates.length !== days)
    throw new Error(
      `${cityDir} is the ${manifest.scale} city over ${manifest.serviceDates.length} day(s), not the large one over ${days}`,
    );
  return manifest;
}

/** A live process's user + system CPU seconds (/proc/<pid>/stat); NaN when it cannot be read. */
function cpuSeconds(s: Spawned): number {
  try {
    const stat = readFileSync(`/proc/${s.process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), 1-based from it: utime 12, stime 13.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** A live process's peak resident set (VmHWM), in MB; NaN when it cannot be read. */
function peakRssMb(s: Spawned): number {
  try {
    const status = readFileSync(`/proc/${s.process.pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : Number(kb) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** `concord_envelope_bytes_total{direction=…}` from the coordinator's metrics text. */
function envelopeBytes(metrics: string, direction: 'in' | 'out'): number {
  const line = new RegExp(
    `^concord_envelope_bytes_total\\{direction="${direction}"\\} (\\S+)$`,
    'm',
  );
  return Number(line.exec(metrics)?.[1] ?? Number.NaN);
}
