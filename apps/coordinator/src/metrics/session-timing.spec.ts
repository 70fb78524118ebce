import { describe, expect, it } from 'vitest';
import { CoordinatorMetrics } from './coordinator-metrics.js';
import { SessionTiming } from './session-timing.js';

/** The histogram's count and sum for the given labels, as a scrape would show them. */
async function observed(metrics: CoordinatorMetrics, name: string, labels: Record<string, string>) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const matches = (l: Record<string, unknown>) =>
    Object.entries(labels).every(([k, v]) => l[k] === v);
  const values = (metric?.values ?? []) as {
    metricName?: string;
    labels: Record<string, unknown>;
    value: number;
  }[];
  const pick = (suffix: string) =>
    values
      .filter((v) => v.metricName === `${name}${suffix}` && matches(v.labels))
      .reduce((n, v) => n + v.value, 0);
  return { count: pick('_count'), sum: pick('_sum') };
}

describe('SessionTiming', () => {
  it('times each phase a session leaves, and its whole time from the request', async () => {
    const metrics = new CoordinatorMetrics();
    const timing = new SessionTiming(
      metrics,
      1_000,
      { phase: 'waiting', engine: undefined },
      1_000,
    );
    timing.saw({ phase: 'waiting', engine: undefined }, 1_200);
    timing.saw({ phase: 'inviting', engine: 'native' }, 1_500);
    timing.saw({ phase: 'aborted', engine: undefined }, 4_000);
    timing.ended('aborted', 4_000, 'declined');

    const phase = 'concord_session_phase_duration_seconds';
    expect(await observed(metrics, phase, { phase: 'waiting', outcome: 'advanced' })).toEqual({
      count: 1,
      sum: 0.5,
    });
    // The engine is the session's, kept after the final phase (which has none) began.
    expect(
      await observed(metrics, phase, { phase: 'inviting', engine: 'native', outcome: 'aborted' }),
    ).toEqual({ count: 1, sum: 2.5 });
    expect(
      await observed(metrics, 'concord_session_time_to_result_seconds', {
        outcome: 'aborted',
        engine: 'native',
      }),
    ).toEqual({ count: 1, sum: 3 });
    const aborts = await metrics.registry.getSingleMetricAsString('concord_session_aborts_total');
    expect(aborts).toContain('concord_session_aborts_total{code="declined",engine="native"} 1');
  });

  it('does not time a phase a restart found under way (its start is unknown)', async () => {
    const metrics = new CoordinatorMetrics();
    const timing = new SessionTiming(metrics, 0, { phase: 'computing', engine: 'native' }, 50_000);
    timing.saw({ phase: 'sealing', engine: 'native' }, 51_000);
    timing.saw({ phase: 'completed', engine: undefined }, 51_200);
    timing.ended('completed', 51_200);

    const phase = 'concord_session_phase_duration_seconds';
    expect((await observed(metrics, phase, { phase: 'computing' })).count).toBe(0);
    expect(await observed(metrics, phase, { phase: 'sealing' })).toEqual({ count: 1, sum: 0.2 });
    expect(
      await observed(metrics, 'concord_session_time_to_result_seconds', { outcome: 'completed' }),
    ).toEqual({ count: 1, sum: 51.2 });
  });
});
