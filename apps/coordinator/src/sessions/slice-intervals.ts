import { sliceHalfWidth } from '#concord/accounting';
import { type PlanOutput, type SessionPlan, outputNoiseLaw, planAxisSize } from '#concord/protocol';

/** The exact 95% half-width of a sum over `cells` cells of one output. */
export interface SliceHalfWidth {
  readonly cells: number;
  readonly halfWidth: string;
}

// Data-independent (a function of the plan's noise and a cell count), so computed once per
// (noise, cells) and kept: a polled report does not recompute them.
const cache = new Map<string, string>();
const CACHE_LIMIT = 2_000;

/**
 * The half-widths of every slice the dashboard can select over an output (docs/privacy.md,
 * 'Error bars': sums over slices): for each set of the output's axes summed over, the sum of
 * that many cells, whose noise is the convolution of the cells' noise laws, computed exactly.
 */
export function sliceHalfWidths(plan: SessionPlan, output: PlanOutput): SliceHalfWidth[] {
  const sizes = new Map(plan.axes.map((a) => [a.name, planAxisSize(a)]));
  const counts = new Set<number>();
  const axes = output.axes;
  for (let mask = 1; mask < 1 << axes.length; mask += 1) {
    let cells = 1;
    axes.forEach((a, i) => {
      if (mask & (1 << i)) cells *= sizes.get(a) ?? 1;
    });
    if (cells > 1) counts.add(cells);
  }
  const law = outputNoiseLaw(output);
  return [...counts]
    .sort((a, b) => a - b)
    .map((cells) => {
      const key = `${JSON.stringify(output.noise)}|${cells}`;
      let halfWidth = cache.get(key);
      if (halfWidth === undefined) {
        halfWidth = String(sliceHalfWidth(law, cells));
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        cache.set(key, halfWidth);
      }
      return { cells, halfWidth };
    });
}
