import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MetricsServer, serveMetrics } from './metrics-server.js';
import { NodeMetrics } from './node-metrics.js';

describe('the node’s metrics endpoint', () => {
  const metrics = new NodeMetrics('native');
  let server: MetricsServer;

  beforeAll(async () => {
    server = await serveMetrics(metrics.registry, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the registry at GET /metrics in the Prometheus text format', async () => {
    metrics.ledgerCharge({ ok: false, code: 'budget-exhausted' });
    metrics.sessionEnded('declined');
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('concord_node_ledger_refusals_total{code="budget-exhausted"} 1');
    expect(text).toContain('concord_node_sessions_total{outcome="declined",engine="native"} 1');
    expect(text).toContain('concord_node_coordinator_connected 0');
  });

  it('answers nothing else', async () => {
    expect((await fetch(`${server.url}/`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
