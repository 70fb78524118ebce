import { seededRandom } from '#concord/crypto';
import type { TranscriptEntry } from '#concord/transcript';
import { seededValues } from '../../apps/agency-node/src/connectors/seeded-vector.connector.js';
import { BENCH_SEEDS, type BenchConsortium } from './bench-consortium.js';

export interface NativeRun {
  readonly work: 'sum' | 'multiply';
  readonly m: number;
  readonly reportId: string;
  readonly state: string;
  /** Request to completed report, as an analyst sees it (polled every 10 ms). */
  readonly wallMs: number;
  /** First input envelope to released results, from the transcript's timestamps. */
  readonly protocolMs: number;
  readonly elementsPerSecond: number;
  readonly bytesSentPerParty: number;
  /** Every opened cell within its 1 − 1e-9 noise bound of the plaintext answer. */
  readonly correct: boolean;
}

interface Report {
  id: string;
  state: string;
  outputs: { values: string[]; intervalHalfWidth: string }[];
}

/** One benchmark report through the real coordinator and nodes. */
export async function runNative(
  bench: BenchConsortium,
  work: 'sum' | 'multiply',
  m: number,
  day: number,
): Promise<NativeRun> {
  const serviceDate = `2026-01-${String(day).padStart(2, '0')}`;
  const started = performance.now();
  const created = await bench.client.request<Report>('POST', '/reports', {
    protocol: `bench-${work}-${m}`,
    parameters: { serviceDate },
    budget: '1/2',
  });
  if (created.status !== 202)
    throw new Error(`bench report refused: ${JSON.stringify(created.body)}`);
  const report = await waitFast(bench, created.body.id);
  const wallMs = performance.now() - started;
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
    protocolMs,
    elementsPerSecond: m / (wallMs / 1000),
    bytesSentPerParty: Math.max(...bytes),
    correct: report.state === 'completed' && withinNoise(report, expected(work, m)),
  };
}

async function waitFast(bench: BenchConsortium, id: string): Promise<Report> {
  for (;;) {
    const { body } = await bench.client.request<Report>('GET', `/reports/${id}?values=false`);
    if (body.state === 'completed' || body.state === 'aborted') {
      return (await bench.client.request<Report>('GET', `/reports/${id}`)).body;
    }
    await new Promise((r) => setTimeout(r, 10));
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

function withinNoise(report: Report, truth: Float64Array): boolean {
  const { values, intervalHalfWidth } = report.outputs[0];
  // The 95% half-width times 4 is far beyond a 1 − 1e-9 bound for these noise laws (sub-Gaussian tails).
  const bound = 4 * Number(intervalHalfWidth);
  return (
    values.length === truth.length &&
    values.every((v, i) => Math.abs(Number(v) - truth[i]) <= bound)
  );
}
