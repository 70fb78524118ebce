import { tableFromIPC } from 'apache-arrow';
import { seededRandom } from '#concord/crypto';
import type { TranscriptEntry } from '#concord/transcript';
import { seededValues } from '../../apps/agency-node/src/connectors/seeded-vector.connector.js';
import { BENCH_SEEDS, type BenchConsortium } from './bench-consortium.js';
import { ownCpuMs } from './process-cpu.js';

export interface NativeRun {
  readonly work: 'sum' | 'multiply';
  readonly m: number;
  readonly reportId: string;
  readonly state: string;
  /**
   * Request to the values in the analyst's hands: the report long-polled to completion, then its
   * values downloaded as Arrow and decoded (what an analyst of a large report reads).
   */
  readonly wallMs: number;
  /** Of `wallMs`, from the completed report to the decoded values. */
  readonly readMs: number;
  /** First input envelope to released results, from the transcript's timestamps. */
  readonly protocolMs: number;
  readonly elementsPerSecond: number;
  readonly bytesSentPerParty: number;
  /** Every opened cell within its 1 − 1e-9 noise bound of the plaintext answer. */
  readonly correct: boolean;
  /**
   * CPU time (ms) each side used during `wallMs`: the coordinator (its embedded database
   * included), the three nodes together, and the analyst's client (this process: its requests
   * and the Arrow decode).
   */
  readonly cpuMs: { readonly coordinator: number; readonly nodes: number; readonly client: number };
}

interface Report {
  id: string;
  state: string;
}

/** What the analyst holds at the end of a run: the report, its values and their interval. */
interface Received {
  readonly report: Report;
  readonly values: BigInt64Array;
  readonly intervalHalfWidth: number;
  readonly readMs: number;
}

/** One benchmark report through the real coordinator and nodes. */
export async function runNative(
  bench: BenchConsortium,
  work: 'sum' | 'multiply',
  m: number,
  day: number,
): Promise<NativeRun> {
  const serviceDate = `2026-01-${String(day).padStart(2, '0')}`;
  const cpuBefore = bench.cpuMs();
  const clientBefore = ownCpuMs();
  const started = performance.now();
  const created = await bench.client.request<Report>('POST', '/reports', {
    protocol: `bench-${work}-${m}`,
    parameters: { serviceDate },
    budget: '1/2',
  });
  if (created.status !== 202)
    throw new Error(`bench report refused: ${JSON.stringify(created.body)}`);
  const { report, values, intervalHalfWidth, readMs } = await receive(bench, created.body.id);
  const wallMs = performance.now() - started;
  const cpuAfter = bench.cpuMs();
  const cpuMs = {
    coordinator: cpuAfter.coordinator - cpuBefore.coordinator,
    nodes: cpuAfter.nodes.reduce((n, c, i) => n + c - cpuBefore.nodes[i], 0),
    client: ownCpuMs() - clientBefore,
  };
  const transcript = await bench.client.request<{ entries: TranscriptEntry[] }>(
    'GET',
    `/sessions/${report.id}/transcript`,
  );
  const entries = transcript.body.entries;
  const firstInput = entries.find((e) => e.kind === 'envelope' && e.body.round === 'input');
  const released = entries.find((e) => e.kind === 'session.results');
  const protocolMs =
    firstInput && released ? Date.parse(released.at) - Date.parse(firstInput.at) : Number.NaN;
  const bytes = [1, 2, 3].map((p) =>
    entries
      .flatMap((e) => (e.kind === 'envelope' && e.body.from === p ? [e.body.bytes] : []))
      .reduce((n, b) => n + b, 0),
  );
  return {
    work,
    m,
    reportId: report.id,
    state: report.state,
    wallMs,
    readMs,
    protocolMs,
    elementsPerSecond: m / (wallMs / 1000),
    bytesSentPerParty: Math.max(...bytes),
    cpuMs,
    correct:
      report.state === 'completed' && withinNoise(values, intervalHalfWidth, expected(work, m)),
  };
}

/**
 * Waits for the report with the long poll, then reads its values as an analyst of a large report
 * does: the Arrow download, decoded to the `value` column (no string per value on either side).
 */
async function receive(bench: BenchConsortium, id: string): Promise<Received> {
  for (;;) {
    const { body } = await bench.client.request<Report>(
      'GET',
      `/reports/${id}?values=false&wait=60`,
    );
    if (body.state === 'aborted')
      return { report: body, values: new BigInt64Array(), intervalHalfWidth: 0, readMs: 0 };
    if (body.state !== 'completed') continue;
    const started = performance.now();
    const res = await fetch(`${bench.client.baseUrl}/reports/${id}/download?format=arrow`, {
      headers: { authorization: `Bearer ${bench.client.token}` },
    });
    if (res.status !== 200) throw new Error(`arrow download: HTTP ${res.status}`);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const values = table.getChild('value')!.toArray() as BigInt64Array;
    const intervalHalfWidth = Number(table.getChild('interval_half_width')!.get(0) as bigint);
    return { report: body, values, intervalHalfWidth, readMs: performance.now() - started };
  }
}

/** The plaintext answer, from the same seeded vectors the nodes' connector generates. */
export function expected(work: 'sum' | 'multiply', m: number): Float64Array {
  const max = work === 'sum' ? 1_000_000 : 2047;
  const vector = (seed: string, name: string): Float64Array =>
    seededValues(seededRandom(`${seed}/${name}`), m, 0, max);
  const a = vector(BENCH_SEEDS.transit, 'a');
  const b = vector(BENCH_SEEDS.payments, 'b');
  const out = new Float64Array(m);
  if (work === 'sum') {
    const c = vector(BENCH_SEEDS.planning, 'c');
    for (let i = 0; i < m; i++) out[i] = a[i] + b[i] + c[i];
  } else {
    for (let i = 0; i < m; i++) out[i] = a[i] * b[i];
  }
  return out;
}

function withinNoise(values: BigInt64Array, halfWidth: number, truth: Float64Array): boolean {
  // The 95% half-width times 4 is far beyond a 1 − 1e-9 bound for these noise laws (sub-Gaussian tails).
  const bound = 4 * halfWidth;
  if (values.length !== truth.length) return false;
  for (let i = 0; i < values.length; i++)
    if (Math.abs(Number(values[i]) - truth[i]) > bound) return false;
  return true;
}
