import Table from 'cli-table3';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseConsortium } from '#concord/consortium';
import { readCatalogueDirectory } from '#concord/protocol';
import { type City, revenuePerBoardingOracle } from '#concord/synth';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { freePort } from './free-port.js';
import { startCoordinatorProcess, startNodeProcess, type Spawned } from './processes.js';
import { ReportClient } from './report-client.js';
import { repoRoot } from './repo-paths.js';
import { createSyntheticConsortium } from './synthetic-consortium.js';

interface Report {
  readonly id: string;
  readonly state: string;
  readonly error: { code: string; message: string } | null;
  readonly grid: readonly { name: string; values: readonly string[] }[];
  readonly outputs: readonly {
    name: string;
    values: readonly string[];
    intervalHalfWidth: string;
    noise: { rho: string; epsilon: number; delta: number };
  }[];
  readonly derived: readonly { name: string; values: readonly (string | null)[] }[];
  readonly budget: { rho: string };
}

const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

/**
 * `npm run demo`: a synthetic city, three agency nodes and a coordinator on loopback as separate
 * processes, embedded PGlite, one revenue-per-boarding report, its noisy table next to the
 * synthetic truth, the privacy spent and the offline transcript check. Exit 0 when the report
 * completed and its transcript verified.
 */
export async function runDemo(options: {
  scale: 'small' | 'medium';
  seed: string;
  keep: boolean;
}): Promise<number> {
  const root = repoRoot();
  const dir = join(root, '.data', 'demo');
  rmSync(dir, { recursive: true, force: true });
  const started = Date.now();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const protocolsDir = join(root, 'protocols');
  out(
    `Concord demo: a ${options.scale} synthetic city (seed ${options.seed}), three agencies, one coordinator`,
  );
  const setup = createSyntheticConsortium({
    dir,
    seed: options.seed,
    scale: options.scale,
    coordinatorUrl: url,
    protocolsDir,
  });
  out(`  agencies' files written to ${join(dir, 'city')}`);

  const processes: Spawned[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
  };
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  try {
    const adminToken = randomBytes(24).toString('base64url');
    const coordinator = await startCoordinatorProcess({
      ADMIN_TOKEN: adminToken,
      PORT: String(port),
      CONSORTIUM_FILE: setup.consortium.consortiumFile,
      PUBLIC_DATA_DIR: setup.publicDataDir,
      PROTOCOLS_DIR: protocolsDir,
      DATA_DIR: join(dir, 'coordinator'),
      LOG_LEVEL: 'warn',
    });
    processes.push(coordinator);
    out(
      `  coordinator at ${coordinator.url} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`,
    );
    for (const a of setup.consortium.agencies)
      processes.push(startNodeProcess(a.configFile, { LOG_LEVEL: 'warn' }));
    const admin = new ReportClient(coordinator.url, adminToken);
    await admin.waitForAgencies();
    const client = await admin.withNewToken('demo-analyst', 'analyst');
    const auditor = await admin.withNewToken('demo-auditor', 'auditor');
    out('  three agency nodes authenticated with their pinned identity keys');

    const request = {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: setup.serviceDate },
      budget: '1/2',
    };
    const created = await client.request<{ id: string }>('POST', '/reports', request);
    if (created.status !== 202)
      throw new Error(`report request refused: ${JSON.stringify(created.body)}`);
    const report = await client.waitForReport<Report>(created.body.id);
    out(
      `  report ${report.id}: ${report.state} in ${((Date.now() - started) / 1000).toFixed(1)} s since start`,
    );
    if (report.state !== 'completed') {
      out(`  aborted: ${report.error?.code}: ${report.error?.message}`);
      return 1;
    }
    printTable(report, setup.city, options.scale);

    const transcript = await auditor.request<TranscriptExportFile>(
      'GET',
      `/sessions/${report.id}/transcript`,
    );
    const audit = verifyTranscriptExport(
      transcript.body,
      parseConsortium(JSON.parse(readFileSync(setup.consortium.consortiumFile, 'utf8'))),
      readCatalogueDirectory(protocolsDir),
    );
    out();
    out(
      `Transcript (${transcript.body.entries.length} hash-chained entries, verified offline against the pinned keys):`,
    );
    for (const c of audit.checks) out(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    out(audit.ok ? '  transcript verified' : '  TRANSCRIPT NOT VERIFIED');
    if (options.keep) out(`\nFiles kept in ${dir}`);
    return audit.ok ? 0 : 1;
  } catch (e) {
    out(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    for (const p of processes) out(p.output().slice(-2000));
    return 1;
  } finally {
    await stopAll();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(report: Report, city: City, scale: string): void {
  const [boardings, revenue] = report.outputs;
  const ratio = report.derived.find((d) => d.name === 'revenue_per_boarding');
  const routes = report.grid.find((a) => a.name === 'route')!.values;
  const hours = report.grid.find((a) => a.name === 'hour')!.values;
  const truth = revenuePerBoardingOracle(city, {
    serviceDate: city.serviceDate,
    maxTapsPerTokenDay: 8,
    maxCentsPerTokenDay: 500,
    maxBoardingsPerCell: 50000,
  });
  const hb = BigInt(boardings.intervalHalfWidth);
  const hr = BigInt(revenue.intervalHalfWidth);
  let within = 0;
  const cells = boardings.values.length;
  for (let i = 0; i < cells; i++) {
    if (abs(BigInt(boardings.values[i]) - truth.boardings[i]) <= hb) within++;
    if (abs(BigInt(revenue.values[i]) - truth.revenueCents[i]) <= hr) within++;
  }
  const table = new Table({
    head: [
      'route',
      'hour',
      'boardings ± 95%',
      'revenue ± 95%',
      'revenue/boarding',
      'synthetic truth',
    ],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: [], compact: true },
  });
  // The busiest cells of the synthetic truth, so the table shows service hours, not night zeros.
  const order = [...Array(cells).keys()].sort((a, b) =>
    Number(truth.boardings[b] - truth.boardings[a]),
  );
  const shown = (scale === 'small' ? order.slice(0, 36) : order.slice(0, 30)).sort((a, b) => a - b);
  for (const i of shown) {
    table.push([
      routes[Math.floor(i / hours.length)],
      hours[i % hours.length],
      `${boardings.values[i]} ± ${hb}`,
      `${dollars(BigInt(revenue.values[i]))} ± ${dollars(hr)}`,
      // A ratio whose noisy denominator is within its own error bar says nothing: not shown.
      ratio && ratio.values[i] !== null && BigInt(boardings.values[i]) > hb
        ? `$${(Number(ratio.values[i]) / 100).toFixed(2)}`
        : '—',
      `${truth.boardings[i]} / ${dollars(truth.revenueCents[i])}`,
    ]);
  }
  out();
  out(
    `Revenue per boarding by route and hour (${shown.length} busiest of ${cells} cells; every cell was released with noise):`,
  );
  out(table.toString());
  out(
    `  ${within} of ${2 * cells} released values lie within their 95% interval of the synthetic truth (expected about 95%).`,
  );
  out();
  out('Privacy spent (zCDP, per rider-day):');
  for (const o of report.outputs)
    out(
      `  ${o.name}: ρ = ${o.noise.rho}  (ε = ${o.noise.epsilon.toFixed(3)} at δ = ${o.noise.delta})`,
    );
  out(`  total: ρ = ${report.budget.rho}`);
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function dollars(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const a = abs(cents);
  return `${sign}$${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}
