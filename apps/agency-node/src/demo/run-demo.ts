import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type TranscriptExportFile, verifyTranscriptExport } from '#concord/audit';
import { parseConsortium } from '#concord/consortium';
import { readCatalogueDirectory } from '#concord/protocol';
import { CATALOGUE_TRUTH } from './catalogue-truth.js';
import { freePort } from './free-port.js';
import { startCoordinatorProcess, startNodeProcess, type Spawned } from './processes.js';
import { ReportClient } from './report-client.js';
import { type PrintedReport, privacyLines, reportTable } from './report-table.js';
import { repoRoot } from './repo-paths.js';
import { createSyntheticConsortium, isRefusalBeforeCharge } from './synthetic-consortium.js';

interface Report extends PrintedReport {
  readonly state: string;
  readonly error: { code: string; message: string } | null;
}

const out = (line = ''): boolean => process.stdout.write(`${line}\n`);

/**
 * `npm run demo`: a seeded synthetic city, three agency nodes and a coordinator on loopback as
 * separate processes (embedded PGlite unless DATABASE_URL is set); every catalogue report is
 * requested at once; each is printed next to the synthetic truth with its 95% intervals, the
 * privacy spent, and the offline check of its transcript. Exit 0 when every report completed and
 * every transcript verified.
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
  const seconds = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const port = await freePort();
  const protocolsDir = join(root, 'protocols');
  out(
    `Concord demo: the ${options.scale} synthetic city (seed ${options.seed}), three agencies, one coordinator`,
  );
  const catalogue = readCatalogueDirectory(protocolsDir);
  // Every catalogue report at ρ = 1/2 charges the city's first service day (the window of a
  // weekly or 30-day protocol starts there): the demo's ledgers hold that much, at least the
  // default 4 (nine reports on the small city, where none is refused: 9/2).
  const ledgerCapRho = `${Math.max(8, catalogue.entries().length)}/2`;
  const setup = createSyntheticConsortium({
    dir,
    seed: options.seed,
    scale: options.scale,
    coordinatorUrl: `http://127.0.0.1:${port}`,
    protocolsDir,
    ledgerCapRho,
  });
  out(
    `  the agencies' files, in GTFS, GTFS-ride, TIDES and ACS schemas: ${join(dir, 'city')} (${seconds()})`,
  );

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
      LEDGER_CAP_RHO: ledgerCapRho,
      DATA_DIR: join(dir, 'coordinator'),
      // The working directory is removed afterwards unless kept: no need for an on-disk database.
      EMBEDDED_DB: options.keep ? 'disk' : 'memory',
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
    const analyst = await admin.withNewToken('demo-analyst', 'analyst');
    const auditor = await admin.withNewToken('demo-auditor', 'auditor');
    out(`  three agency nodes logged in with their pinned identity keys (${seconds()})`);

    const requests = catalogue.entries().map(async (entry) => {
      const created = await analyst.request<{ id: string }>('POST', '/reports', {
        protocol: entry.analysis.definition.id,
        parameters: { serviceDate: setup.serviceDate },
        budget: '1/2',
      });
      // A grid too large for a session on this city (a join's dense per-card rows by zone or
      // zone pair on the medium city), or a week or 30 days the agencies' files do not cover (the
      // medium city holds one day: `syntheticServiceDays`), is refused before anything is
      // charged: printed, not run.
      const refusal = created.body as unknown as { code?: string; detail?: string };
      if (created.status === 422 && isRefusalBeforeCharge(refusal.code))
        return { entry, refused: refusal.detail ?? 'plan-too-large' };
      if (created.status !== 202)
        throw new Error(`${entry.analysis.definition.id} refused: ${JSON.stringify(created.body)}`);
      return { entry, report: await analyst.waitForReport<Report>(created.body.id) };
    });
    const answered = await Promise.all(requests);
    const finished = answered.flatMap((a) =>
      a.report ? [{ entry: a.entry, report: a.report }] : [],
    );
    out(`  ${finished.length} reports requested at once, all finished (${seconds()})`);
    for (const a of answered) {
      if (a.refused === undefined) continue;
      out();
      out(`${a.entry.analysis.definition.title} (${a.entry.analysis.definition.id})`);
      out(`  not run on the ${options.scale} city, refused before any charge: ${a.refused}`);
    }

    const consortium = parseConsortium(
      JSON.parse(readFileSync(setup.consortium.consortiumFile, 'utf8')),
    );
    let ok = true;
    for (const { entry, report } of finished) {
      out();
      out(`${report.protocol.title} (${report.protocol.id}, report ${report.id})`);
      if (report.state !== 'completed') {
        out(`  ${report.state}: ${report.error?.code}: ${report.error?.message}`);
        ok = false;
        continue;
      }
      const truth = CATALOGUE_TRUTH[entry.analysis.definition.id](setup.city, entry);
      const table = reportTable(report, truth, 12);
      out(table.text);
      out(
        `  ${table.within} of ${table.total} released values lie within their 95% interval of the synthetic truth (expected about 95%).`,
      );
      for (const line of privacyLines(report)) out(line);
      const transcript = await auditor.request<TranscriptExportFile>(
        'GET',
        `/sessions/${report.id}/transcript`,
      );
      const audit = verifyTranscriptExport(transcript.body, consortium, catalogue);
      const failed = audit.checks.filter((c) => !c.ok);
      out(
        audit.ok
          ? `  transcript: ${transcript.body.entries.length} hash-chained entries, sealed by all three agencies, verified offline (${audit.checks.length} checks)`
          : `  TRANSCRIPT NOT VERIFIED: ${failed.map((c) => `${c.name}: ${c.detail}`).join('; ')}`,
      );
      ok &&= audit.ok;
    }
    out();
    out(`${ok ? 'All reports completed and verified' : 'Some reports failed'} in ${seconds()}.`);
    if (options.keep) out(`Files kept in ${dir}`);
    return ok ? 0 : 1;
  } catch (e) {
    out(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    for (const p of processes) out(p.output().slice(-2000));
    return 1;
  } finally {
    await stopAll();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}
