import type { CatalogueEntry } from '#concord/protocol';

/**
 * Catalogue protocols the demo and `npm start` leave out on the medium city, and why. Their dense
 * per-card rows (65,536 cards × 250 zones × 2 inputs) kept the processor's node busy past its
 * 15 s lease in a measured run (docs/protocols/reduced-fare-capping.md, "Cost"), and a stalled
 * node would abort the other reports running at the same time. They run on the small city.
 */
const TOO_HEAVY_ON_MEDIUM: Readonly<Record<string, string>> = {
  'reduced-fare-capping':
    'its per-card rows by zone (65,536 cards × 250 zones × 2 inputs) stall the processor’s node past its lease on the medium city',
};

/** The catalogue entries a demo at `scale` requests, and the ones it leaves out with the reason. */
export function demoRunList(
  entries: readonly CatalogueEntry[],
  scale: 'small' | 'medium',
): { run: CatalogueEntry[]; skipped: { id: string; why: string }[] } {
  const run: CatalogueEntry[] = [];
  const skipped: { id: string; why: string }[] = [];
  for (const entry of entries) {
    const id = entry.analysis.definition.id;
    const why = scale === 'medium' ? TOO_HEAVY_ON_MEDIUM[id] : undefined;
    if (why === undefined) run.push(entry);
    else skipped.push({ id, why });
  }
  return { run, skipped };
}

/** The printed line for a protocol left out, with how to run it. */
export const skippedLine = (s: { id: string; why: string }): string =>
  `  not run here: ${s.id}, because ${s.why}; run it on the small city (npm run build && npx concord demo --scale small)`;
