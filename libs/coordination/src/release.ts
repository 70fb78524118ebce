import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import { releaseDigest } from '#concord/transcript';
import type { OutputRelease } from './actions.js';

/**
 * The outputs a session releases: the reporter's checked value text per output, with the exact
 * interval of its noise and the noise's parameters, all from the plan every party agreed on.
 */
export function releaseOutputs(plan: SessionPlan, texts: readonly string[]): OutputRelease[] {
  return plan.outputs.map((o, i) => {
    const bars = outputErrorBars(o);
    return {
      name: o.name,
      unit: o.unit,
      valuesText: texts[i],
      cells: o.length,
      intervalHalfWidth: bars.halfWidth,
      confidenceLevel: bars.confidenceLevel,
      noise: {
        ...o.noise,
        rho: o.rho,
        xi: o.xi,
        epsilon: bars.epsilon,
        delta: bars.delta,
        noiseVariance: bars.noiseVariance,
      },
    };
  });
}

/** The digest of exactly what is published (values, units, intervals), which the seals cover. */
export function releaseDigestOf(sessionId: string, outputs: readonly OutputRelease[]): string {
  return releaseDigest(
    sessionId,
    outputs.map((o) => ({
      name: o.name,
      unit: o.unit,
      values: o.valuesText,
      intervalHalfWidth: o.intervalHalfWidth.toString(),
      confidenceLevel: o.confidenceLevel,
    })),
  );
}
