import type { ReadScope } from './read-scope.js';
import { type PlanInput, planAxisLookup, planAxisSize, type SessionPlan } from '#concord/protocol';

/** What every connector reports about the rows it read (kept locally; never released). */
export interface ConnectorReport {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  /** Rows outside the grid (unknown route, other day...) and rows cut by contribution bounds. */
  readonly rowsDropped: number;
  readonly cellsClipped: number;
}

export interface ConnectorContext {
  readonly plan: SessionPlan;
  readonly input: PlanInput;
  /** The connector's files from the node configuration, by name. */
  readonly files: Readonly<Record<string, string>>;
  /**
   * A join protocol's per-card input: the tap holder's card tokens, one row per card in this
   * order (the values then hold `cards.length` rows of the input's cells after the join axis).
   */
  readonly cards?: readonly string[];
  /** The session's shared reads (a join plan's connectors parse the processor's file once). */
  readonly scope?: ReadScope;
}

/**
 * Reads one protocol input from the agency's own data, aggregates it onto the plan's public
 * grid (row-major over the input's axes), applies the declared contribution bounds and clips
 * every cell to the declared range.
 */
export type Connector = (
  context: ConnectorContext,
) => Promise<{ values: Float64Array; report: ConnectorReport }>;

/** Cell index lookup for a row-major grid over `axes`. */
export function gridIndex(
  plan: SessionPlan,
  axes: readonly string[],
): (keys: readonly string[]) => number {
  const lookups = axes.map((name) => {
    const axis = plan.axes.find((a) => a.name === name);
    return axis
      ? { find: planAxisLookup(axis), size: planAxisSize(axis) }
      : { find: () => -1, size: 0 };
  });
  return (keys) => {
    let index = 0;
    for (let k = 0; k < lookups.length; k++) {
      const i = lookups[k].find(keys[k]);
      if (i < 0) return -1;
      index = index * lookups[k].size + i;
    }
    return index;
  };
}

/** Clips every cell to the input's declared range; returns how many cells changed. */
export function clipCells(values: Float64Array, input: PlanInput): number {
  let clipped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const c = Math.min(Math.max(v, input.cell.min), input.cell.max);
    if (c !== v) {
      values[i] = c;
      clipped++;
    }
  }
  return clipped;
}

/** `2026-03-10` → `20260310` (GTFS service_date form). */
export function gtfsDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** A GTFS date `YYYYMMDD` as ISO `YYYY-MM-DD` (the synthetic city's manifest and files use GTFS). */
export function isoDate(gtfs: string): string {
  return `${gtfs.slice(0, 4)}-${gtfs.slice(4, 6)}-${gtfs.slice(6, 8)}`;
}
