import { readFileSync } from 'node:fs';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { NodeMetrics } from '../../apps/agency-node/src/node/node-metrics.js';
import { CoordinatorMetrics } from '../../apps/coordinator/src/metrics/coordinator-metrics.js';

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  datasource?: { uid?: string };
}
interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list: { name: string; type: string; query?: unknown }[] };
}

const dashboard = JSON.parse(
  readFileSync('docker/grafana/concord-dashboard.json', 'utf8'),
) as Dashboard;

/** Every series name the coordinator and a node export, with each one's label names. */
function exported(): Map<string, readonly string[]> {
  const series = new Map<string, readonly string[]>();
  const add = (registry: Registry) => {
    for (const m of registry.getMetricsAsArray()) {
      const { name, type, labelNames } = m as unknown as {
        name: string;
        type: string;
        labelNames: string[];
      };
      const names =
        type === 'histogram'
          ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
          : type === 'summary'
            ? [name, `${name}_sum`, `${name}_count`]
            : [name];
      for (const n of names) series.set(n, labelNames);
    }
  };
  add(new CoordinatorMetrics().registry);
  add(new NodeMetrics().registry);
  return series;
}

/** Labels every series carries once scraped (Prometheus adds job and instance; buckets have le). */
const SCRAPE_LABELS = ['job', 'instance', 'le'];

const queries = (): string[] => [
  ...(dashboard.panels ?? []).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')),
  ...(dashboard.templating?.list ?? []).flatMap((v) =>
    v.type === 'query' ? [JSON.stringify(v.query)] : [],
  ),
];

describe('the Grafana dashboard (docker/grafana/concord-dashboard.json)', () => {
  it('is a dashboard Grafana can import: uid, title, schema, a Prometheus data-source variable', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const source = dashboard.templating?.list.find((v) => v.type === 'datasource');
    expect(source).toMatchObject({ name: 'datasource', query: 'prometheus' });
    const panels = dashboard.panels ?? [];
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) {
      expect(p.gridPos, p.title).toBeDefined();
      expect(p.gridPos!.x + p.gridPos!.w, p.title).toBeLessThanOrEqual(24);
      if (p.type === 'row') continue;
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.expr, `${p.title} ${t.refId}`).toBeTruthy();
    }
  });

  it('queries only metrics the coordinator or the nodes export, with labels they carry', () => {
    const series = exported();
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const q of queries()) {
      const names = [...q.matchAll(/\b((?:concord|nodejs|process)_[a-zA-Z0-9_]+)(\{[^}]*\})?/g)];
      for (const [, name, selector] of names) {
        seen.add(name);
        const labels = series.get(name);
        if (!labels) {
          problems.push(`${name} is not exported (in ${q})`);
          continue;
        }
        for (const [, label] of (selector ?? '').matchAll(/([a-zA-Z_]+)\s*=~?/g)) {
          if (!labels.includes(label) && !SCRAPE_LABELS.includes(label))
            problems.push(`${name} has no label ${label} (in ${q})`);
        }
      }
      const metricLabels = new Set(names.flatMap(([, n]) => series.get(n) ?? []));
      for (const [, by] of q.matchAll(/\bby \(([^)]*)\)/g)) {
        for (const label of by.split(',').map((l) => l.trim())) {
          if (!metricLabels.has(label) && !SCRAPE_LABELS.includes(label))
            problems.push(`no metric of the query has label ${label} (in ${q})`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The list: each is on the dashboard.
    for (const name of [
      'concord_session_time_to_result_seconds_bucket',
      'concord_session_phase_duration_seconds_bucket',
      'concord_sessions',
      'concord_envelope_bytes_total',
      'concord_ledger_charges_total',
      'concord_ledger_refunds_total',
      'concord_ledger_refusals_total',
      'concord_transcript_write_seconds_bucket',
      'concord_db_pool_connections',
      'nodejs_eventloop_lag_p99_seconds',
      'concord_http_errors_total',
      'concord_session_aborts_total',
    ])
      expect(seen, name).toContain(name);
  });
});
