import { type OpenedOutput, publishedHeaders } from '#concord/engine';
import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import type { OutputRelease } from './actions.js';

/**
 * The outputs a session releases, as stored: what `publishedHeaders` defines (name, unit, cells,
 * interval, level), the reporter's checked values, and the noise's parameters shown beside them.
 * The values are stored as the opened vectors' limbs, the form the result digest and the version
 * 2 release digest cover. No per-output ε is stored: ε does not add across outputs, so the only ε
 * stated is the whole release's, from its total (ξ, ρ) (`releasePrivacy` in #concord/accounting).
 */
export function releaseOutputs(
  plan: SessionPlan,
  opened: readonly OpenedOutput[],
): OutputRelease[] {
  const published = publishedHeaders(plan);
  return plan.outputs.map((o, i) => {
    const bars = outputErrorBars(o);
    return {
      name: published[i].name,
      unit: published[i].unit,
      values: opened[i].vector,
      cells: published[i].cells,
      intervalHalfWidth: BigInt(published[i].intervalHalfWidth),
      confidenceLevel: published[i].confidenceLevel,
      noise: {
        ...o.noise,
        rho: o.rho,
        xi: o.xi,
        noiseVariance: bars.noiseVariance,
      },
    };
  });
}
