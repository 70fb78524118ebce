import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../apps/agency-node/src/demo/free-port.js';
import { parsePrometheusText, type PromScrape } from '../support/prometheus-text.js';
import { type RunningConsortium, startRunningConsortium } from '../support/running-consortium.js';

interface Report {
  id: string;
  state: string;
  error: { code: string } | null;
}

async function scrape(url: string): Promise<{ contentType: string; metrics: PromScrape }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return {
    contentType: res.headers.get('content-type') ?? '',
    metrics: parsePrometheusText(await res.text()),
  };
}

/**
 * Scrapes until `ready` holds: a session's end reaches the metrics just after the API shows it
 * (coordinator) or when the coordinator's verdict arrives (node). Bounded; the assertions follow.
 */
async function scrapeUntil(url: string, ready: (m: PromScrape) => boolean): Promise<PromScrape> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { metrics } = await scrape(url);
    if (ready(metrics) || Date.now() > deadline) return metrics;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * /metrics for real: a coordinator and three node processes (each serving its own metrics, the
 * port given by CONCORD_METRICS_PORT), one small report, and the scrapes before and after it.
 */
describe('metrics of the coordinator and the agency nodes', () => {
  let run: RunningConsortium;
  let nodePorts: number[];
  let before: PromScrape;

  beforeAll(async () => {
    nodePorts = [await freePort(), await freePort(), await freePort()];
    run = await startRunningConsortium({
      seed: '9090',
      nodeEnv: (i) => ({ CONCORD_METRICS_PORT: String(nodePorts[i]) }),
    });
    before = (await scrape(`${run.coordinator.url}/metrics`)).metrics;
    const created = await run.client.request<Report>('POST', '/reports', {
      protocol: 'revenue-per-boarding',
      parameters: { serviceDate: run.serviceDate },
      budget: '1/2',
    });
    expect(created.status).toBe(202);
    const report = await run.client.waitForReport<Report>(created.body.id);
    expect(report.error).toBeNull();
    expect(report.state).toBe('completed');
    const missing = await run.client.request('GET', `/reports/${randomUUID()}`);
    expect(missing.status).toBe(404);
  }, 180_000);
  afterAll(async () => {
    await run?.stop();
  });

  it('serves the coordinator’s metrics without a token, in the Prometheus text format', async () => {
    const res = await fetch(`${run.coordinator.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusText(await res.text());
    expect(m.types.get('concord_session_time_to_result_seconds')).toBe('histogram');
    expect(m.types.get('concord_ledger_charges_total')).toBe('counter');
    expect(m.find('nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);
    expect(m.find('process_cpu_seconds_total')).toHaveLength(1);
  });

  it('counts what one report did on the coordinator', async () => {
    const url = `${run.coordinator.url}/metrics`;
    const done = { outcome: 'completed', engine: 'native' };
    const after = await scrapeUntil(
      url,
      (m) => m.value('concord_session_time_to_result_seconds_count', done) > 0,
    );
    const moved = (name: string, labels?: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);

    // The time-to-result histogram moved by exactly one session, with a positive duration that
    // falls in the buckets (the +Inf bucket holds every observation).
    expect(moved('concord_session_time_to_result_seconds_count', done)).toBe(1);
    expect(moved('concord_session_time_to_result_seconds_sum', done)).toBeGreaterThan(0);
    expect(moved('concord_session_time_to_result_seconds_bucket', { ...done, le: '+Inf' })).toBe(1);
    // Every phase the session went through was timed once, as advanced.
    for (const phase of ['waiting', 'inviting', 'committing', 'computing', 'sealing']) {
      expect(
        moved('concord_session_phase_duration_seconds_count', { phase, outcome: 'advanced' }),
        phase,
      ).toBe(1);
    }
    // One charge on the coordinator's ledger (one per session), none refused or refunded.
    expect(moved('concord_ledger_charges_total', { code: 'charged' })).toBe(1);
    expect(moved('concord_ledger_refusals_total')).toBe(0);
    expect(moved('concord_ledger_refunds_total', { code: 'refunded' })).toBe(0);
    // Envelopes came in from the nodes and went out to their receivers, with their bytes.
    expect(moved('concord_envelopes_total', { direction: 'in' })).toBeGreaterThan(0);
    expect(moved('concord_envelopes_total', { direction: 'out' })).toBeGreaterThan(0);
    expect(moved('concord_envelope_bytes_total', { direction: 'out' })).toBeGreaterThan(
      moved('concord_envelopes_total', { direction: 'out' }),
    );
    expect(moved('concord_transcript_write_seconds_count', { outcome: 'ok' })).toBeGreaterThan(0);
    // The database's sessions by state: the finished one, nothing left running.
    expect(after.value('concord_sessions', { state: 'completed' })).toBe(1);
    expect(after.find('concord_sessions', { state: 'running' })).toEqual([]);
    expect(after.find('concord_sessions_live')).toEqual([]);
    // The unknown report's 404, by its problem code.
    expect(moved('concord_http_errors_total', { code: 'not-found', status: '404' })).toBe(1);
    expect(after.value('concord_db_pool_max_connections')).toBeGreaterThanOrEqual(1);
  });

  it('counts the same report on each agency node’s own endpoint', async () => {
    for (const port of nodePorts) {
      const url = `http://127.0.0.1:${port}/metrics`;
      const m = await scrapeUntil(
        url,
        (s) => s.value('concord_node_sessions_total', { outcome: 'completed' }) > 0,
      );
      expect(m.value('concord_node_sessions_total', { outcome: 'completed' })).toBe(1);
      expect(m.value('concord_node_sessions_total')).toBe(1);
      expect(
        m.value('concord_node_session_time_to_result_seconds_count', { outcome: 'completed' }),
      ).toBe(1);
      expect(
        m.value('concord_node_session_phase_duration_seconds_count', { phase: 'running' }),
      ).toBe(1);
      expect(m.value('concord_node_ledger_charges_total', { code: 'charged' })).toBe(1);
      expect(m.value('concord_node_ledger_refunds_total', { code: 'completed' })).toBe(1);
      expect(m.value('concord_node_envelope_bytes_total', { direction: 'out' })).toBeGreaterThan(0);
      expect(m.value('concord_node_envelope_bytes_total', { direction: 'in' })).toBeGreaterThan(0);
      expect(m.value('concord_node_coordinator_connected')).toBe(1);
      expect(m.find('nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);
    }
  });

  it('answers only /metrics on a node’s metrics port', async () => {
    const res = await fetch(`http://127.0.0.1:${nodePorts[0]}/other`);
    expect(res.status).toBe(404);
  });
});
