import type { BenchConsortium } from './bench-consortium.js';
import { releaseArrowStream } from '../../apps/coordinator/src/sessions/download/release-arrow.js';
import { releaseCsvChunks } from '../../apps/coordinator/src/sessions/download/release-csv.js';
import { releaseTable } from '../../apps/coordinator/src/sessions/download/release-table.js';
import { storedValues } from '../../apps/coordinator/src/sessions/download/stored-values.js';
import type { Session, StoredOutput } from '../../apps/coordinator/src/sessions/session.js';

/** One timed read of a completed report: request to the last byte, and how many bytes. */
export interface DownloadTiming {
  readonly ms: number;
  readonly bytes: number;
}

export const DOWNLOAD_KINDS = ['json', 'csv', 'arrow'] as const;
export type DownloadKind = (typeof DOWNLOAD_KINDS)[number];

const PATHS: Readonly<Record<DownloadKind, string>> = {
  json: '',
  csv: '/download?format=csv',
  arrow: '/download?format=arrow',
};

/**
 * Reads a completed report over HTTP as an analyst would, the body consumed to its last byte
 * (not parsed): `GET /reports/:id` (JSON), and its CSV and Arrow downloads.
 */
export async function timeDownload(
  bench: BenchConsortium,
  reportId: string,
  kind: DownloadKind,
): Promise<DownloadTiming> {
  const started = performance.now();
  const res = await fetch(`${bench.client.baseUrl}/reports/${reportId}${PATHS[kind]}`, {
    headers: { authorization: `Bearer ${bench.client.token}` },
  });
  const body = await res.arrayBuffer();
  const ms = performance.now() - started;
  if (res.status !== 200) throw new Error(`${kind} download: HTTP ${res.status}`);
  return { ms, bytes: body.byteLength };
}

/**
 * The serialisation path alone, in this process: a completed `cells`-cell release (one output
 * over one range axis, values like a sum report's) laid out from its stored value text (scanned,
 * as a download does) and written as CSV and as Arrow, every chunk consumed. No database, no
 * socket, no digest: what the coordinator adds per download.
 */
export async function timeSerialisation(
  cells: number,
): Promise<Record<'csv' | 'arrow', DownloadTiming>> {
  const { session, stored } = syntheticRelease(cells);
  let started = performance.now();
  let bytes = 0;
  for (const chunk of releaseCsvChunks(releaseTable(session, stored)))
    bytes += Buffer.byteLength(chunk);
  const csv = { ms: performance.now() - started, bytes };
  started = performance.now();
  bytes = 0;
  for await (const chunk of releaseArrowStream(releaseTable(session, stored)))
    bytes += (chunk as Uint8Array).byteLength;
  const arrow = { ms: performance.now() - started, bytes };
  return { csv, arrow };
}

function syntheticRelease(cells: number): { session: Session; stored: StoredOutput[] } {
  // Deterministic values of a sum report's size (up to 7 digits, some negative).
  const values = Array.from({ length: cells }, (_, i) => String(((i * 7919) % 3_000_000) - 900));
  const session = {
    id: '00000000-0000-4000-8000-00000000bead',
    protocol: { id: 'bench-sum', version: '1.0.0', hash: 'h', title: 'bench' },
    state: 'completed',
    plan: {
      axes: [{ name: 'cell', range: [0, cells - 1] }],
      outputs: [{ name: 'result', axes: ['cell'], length: cells }],
    },
    error: null,
  } as unknown as Session;
  const stored: StoredOutput[] = [
    {
      name: 'result',
      unit: 'value',
      values: storedValues(values.join(',')),
      intervalHalfWidth: 4321n,
      confidenceLevel: '0.95',
    },
  ];
  return { session, stored };
}
