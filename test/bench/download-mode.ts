import type { BenchReporter, BenchRow } from './bench-report.js';
import { startBenchConsortium } from './bench-consortium.js';
import { benchProtocol } from './bench-protocols.js';
import { runNative } from './native-mpc.js';
import {
  DOWNLOAD_KINDS,
  type DownloadKind,
  type DownloadTiming,
  timeDownload,
  timeSerialisation,
} from './release-download.js';

/** The project's target for reading a 10^6-cell release back as a file, after completion. */
export const DOWNLOAD_TARGET_MS = 1000;

const LABELS: Readonly<Record<DownloadKind, string>> = {
  json: 'GET /reports/:id (JSON)',
  csv: 'GET /reports/:id/download?format=csv',
  arrow: 'GET /reports/:id/download?format=arrow',
};

/**
 * `npm run bench -- --download`: one real `cells`-cell sum report through the coordinator and
 * three nodes, then its release read back `runs` times each as JSON, CSV and Arrow over HTTP
 * (median), and the CSV and Arrow serialisation alone in this process. Ratios are against the
 * JSON read of the same run. Prints figures; asserts nothing.
 */
export async function benchDownloads(
  r: BenchReporter,
  cells: number,
  runs: number,
  fmt: (n: number, digits?: number) => string,
): Promise<void> {
  const print = (line = ''): void => r.print(line);
  print(`\none sum report of ${fmt(cells)} cells through the real coordinator, then its reads`);
  const bench = await startBenchConsortium([benchProtocol('sum', cells)], '1/2', 1);
  let json: BenchRow | undefined;
  try {
    const report = await runNative(bench, 'sum', cells, 1);
    if (report.state !== 'completed') throw new Error(`download bench report ${report.state}`);
    print(`  report completed in ${fmt(report.wallMs)} ms (request to completed)`);
    for (const kind of DOWNLOAD_KINDS) {
      const all: DownloadTiming[] = [];
      for (let i = 0; i < runs; i += 1) all.push(await timeDownload(bench, report.reportId, kind));
      const sorted = [...all].sort((a, b) => a.ms - b.ms);
      const median = sorted[(sorted.length - 1) >> 1];
      const row = r.add(
        {
          id: `download.${kind}.c${cells}.http`,
          group: 'download',
          description: `${LABELS[kind]} of a completed ${cells}-cell report over loopback HTTP, request to last byte (median); ratio is against the JSON read`,
          unit: 'ms',
          value: median.ms,
          n: cells,
          runs: all.map((t) => t.ms),
          notes: `${median.bytes} bytes`,
        },
        json,
      );
      json ??= row;
      const target = kind === 'json' ? '' : ` (target < ${fmt(DOWNLOAD_TARGET_MS)} ms)`;
      print(
        `  ${LABELS[kind].padEnd(40)} ${fmt(median.ms).padStart(6)} ms${target}  ` +
          `${fmt(median.bytes / 1e6, 1)} MB  [${sorted.map((t) => fmt(t.ms)).join(', ')}]`,
      );
    }
  } finally {
    await bench.stop();
  }

  print(`\nserialisation alone, in process, on a ${fmt(cells)}-cell release built in memory`);
  const serialised = await timeSerialisation(cells);
  for (const kind of ['csv', 'arrow'] as const) {
    const t = serialised[kind];
    r.add({
      id: `download.${kind}.c${cells}.serialise`,
      group: 'download',
      description: `${kind} of a ${cells}-cell release constructed in process (no database, no socket): layout and serialisation, every chunk consumed`,
      unit: 'ms',
      value: t.ms,
      n: cells,
      notes: `${t.bytes} bytes`,
    });
    print(`  ${kind.padEnd(6)} ${fmt(t.ms).padStart(6)} ms  ${fmt(t.bytes / 1e6, 1)} MB`);
  }
}
