import { join } from 'node:path';
import {
  compareAxisValues,
  compileSessionPlan,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import { CONNECTORS } from '../../apps/agency-node/src/connectors/connectors.js';
import { repoRoot } from '../../apps/agency-node/src/demo/repo-paths.js';
import type { syntheticConnectorData } from '../../apps/agency-node/src/demo/synthetic-consortium.js';

/** A revenue-per-boarding protocol's plan over a city's routes, as the coordinator compiles it. */
export function revenuePlan(
  protocol: 'revenue-per-boarding' | 'revenue-per-boarding-30-days',
  serviceDate: string,
  routes: Iterable<string>,
): SessionPlan {
  const entry = readCatalogueDirectory(join(repoRoot(), 'protocols')).find(protocol)!;
  return compileSessionPlan(entry.analysis, {
    sessionId: '00000000-0000-4000-8000-00000000beef',
    parameters: { serviceDate },
    axisValues: { route: [...new Set(routes)].sort(compareAxisValues) },
    budget: '1/100',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

/**
 * The trusted-single-party baseline of a revenue report: its two connectors over the agencies'
 * files in one process, one after the other (the released outputs are their two vectors, so
 * there is nothing more to do). Returns the milliseconds it took.
 */
export async function revenueInPlaintext(
  plan: SessionPlan,
  data: ReturnType<typeof syntheticConnectorData>,
): Promise<number> {
  const started = performance.now();
  const boardings = await CONNECTORS['apc-boardings-by-route-hour']({
    plan,
    input: plan.inputs[0],
    files: data.transit['apc-boardings-by-route-hour'],
  });
  const revenue = await CONNECTORS['fare-revenue-by-route-hour']({
    plan,
    input: plan.inputs[1],
    files: data.payments['fare-revenue-by-route-hour'],
  });
  if (boardings.values.length !== revenue.values.length) throw new Error('grid mismatch');
  return performance.now() - started;
}
