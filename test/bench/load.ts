import { randomBytes } from 'node:crypto';
import { type ReportClient } from '../../apps/agency-node/src/demo/report-client.js';
import { startApiConsortium } from './api-consortium.js';

/** The phases of one report, each measured from the transcript's own timestamps. */
export const LOAD_PHASES = [
  'post',
  'queued',
  'accept',
  'commit',
  'compute',
  'seal',
  'total',
] as const;
export type LoadPhase = (typeof LOAD_PHASES)[number];

export interface LoadBatchFigures {
  readonly concurrency: number;
  readonly completed: number;
  readonly errors: readonly string[];
  readonly wallMs: number;
  /** Per phase: p50, p95, p99 and max in milliseconds over the batch's completed reports. */
  readonly phases: Readonly<Record<LoadPhase, Quantiles>>;
}

export interface Quantiles {
  /** The fastest: with a queue, the first reports of a batch finish this early. */
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

interface TranscriptEntryView {
  readonly kind: string;
  readonly at: string;
}

/**
 * `npm run bench -- --load`: a coordinator and three agency node processes on the small synthetic
 * city, then batches of concurrent revenue-per-boarding reports requested through the real API,
 * each requested by one of twenty analysts in turn. For every completed report the phases are
 * read from its transcript:
 *
 * - post: the `POST /reports` round trip (client side);
 * - queued: request recorded → admitted (waiting in the queue for a session slot);
 * - accept: admitted → the last party's acceptance;
 * - commit: → the last noise commitment (the go-ahead);
 * - compute: → the release (every party's result agreed);
 * - seal: → completed (three seals);
 * - total: time to result, from the client's POST to the completed report.
 */
/** Analysts sharing a batch's requests. */
const ANALYSTS = 20;

export async function benchLoad(
  batches: readonly number[],
  maxRunning?: number,
): Promise<LoadBatchFigures[]> {
  const consortium = await startApiConsortium({
    name: 'load',
    scale: 'small',
    ledgerCapRho: '1000000',
    coordinatorEnv: {
      // The benchmark is one client: its own request rate must not be what it measures.
      RATE_LIMIT_PER_MINUTE: '100000',
      ...(maxRunning === undefined ? {} : { MAX_RUNNING_SESSIONS: String(maxRunning) }),
    },
  });
  try {
    // Requests come from ANALYSTS analysts in turn, as a shared deployment sees them (and so
    // that no analyst's own limit on report requests, 60 a minute, is what is measured).
    const analysts: ReportClient[] = [];
    for (let i = 0; i < ANALYSTS; i++)
      analysts.push(await consortium.admin.withNewToken(`bench-load-${i}`, 'analyst'));

    // One report alone first: the figure the batches are compared with.
    const figures: LoadBatchFigures[] = [];
    for (const concurrency of [1, ...batches])
      figures.push(await runBatch(analysts, consortium.setup.serviceDate, concurrency));
    return figures;
  } finally {
    await consortium.stop();
  }
}

async function runBatch(
  analysts: readonly ReportClient[],
  serviceDate: string,
  concurrency: number,
): Promise<LoadBatchFigures> {
  const batch = randomBytes(4).toString('hex');
  const started = performance.now();
  const samples: Record<LoadPhase, number>[] = [];
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      try {
        const analyst = analysts[i % analysts.length];
        samples.push(await runOne(analyst, serviceDate, `load-${batch}-${i}`));
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }),
  );
  const wallMs = performance.now() - started;
  const phases = Object.fromEntries(
    LOAD_PHASES.map((p) => [p, quantiles(samples.map((s) => s[p]))]),
  ) as Record<LoadPhase, Quantiles>;
  return { concurrency, completed: samples.length, errors, wallMs, phases };
}

async function runOne(
  client: ReportClient,
  serviceDate: string,
  requestId: string,
): Promise<Record<LoadPhase, number>> {
  const t0 = performance.now();
  const created = await client.request<{ id?: string; code?: string; detail?: string }>(
    'POST',
    '/reports',
    {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate },
      budget: '1/100',
      requestId,
    },
  );
  const post = performance.now() - t0;
  if ((created.status !== 201 && created.status !== 202) || !created.body.id)
    throw new Error(`POST /reports ${created.status} ${created.body.code ?? ''}`);
  const id = created.body.id;
  const report = await waitQuietly(client, id);
  const total = performance.now() - t0;
  if (report.state !== 'completed')
    throw new Error(`report ${report.state}: ${report.error?.code ?? 'no error code'}`);
  const exported = await client.request<{ entries: TranscriptEntryView[] }>(
    'GET',
    `/sessions/${id}/transcript`,
  );
  const at = (kind: string): number =>
    Math.max(...exported.body.entries.filter((e) => e.kind === kind).map((e) => Date.parse(e.at)));
  const created_ = at('session.created');
  const invited = report.admittedAt ? Date.parse(report.admittedAt) : created_;
  const accepted = at('party.accepted');
  const committed = at('noise.committed');
  const released = at('session.results');
  const completed = Date.parse(report.completedAt ?? '');
  return {
    post,
    queued: invited - created_,
    accept: accepted - invited,
    commit: committed - accepted,
    compute: released - committed,
    seal: completed - released,
    total,
  };
}

interface ReportView {
  readonly state: string;
  readonly completedAt: string | null;
  readonly admittedAt: string | null;
  readonly error: { readonly code: string } | null;
}

/** Polls every 250 ms: 200 clients polling faster would be a load of their own. */
async function waitQuietly(client: ReportClient, id: string): Promise<ReportView> {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const { body } = await client.request<ReportView>('GET', `/reports/${id}?values=false`);
    if (body.state === 'completed' || body.state === 'aborted') return body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`report ${id} did not finish in 10 minutes`);
}

function quantiles(xs: readonly number[]): Quantiles {
  if (xs.length === 0)
    return { min: Number.NaN, p50: Number.NaN, p95: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const s = [...xs].sort((a, b) => a - b);
  // Nearest rank: the smallest sample with at least q of the samples at or below it.
  const at = (q: number): number => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { min: s[0], p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] };
}
