import { publishedOutputs } from '#concord/engine';
import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import { releaseDigest } from '#concord/transcript';
import type { OutputRelease } from './actions.js';

/**
 * The outputs a session releases, as stored: what `publishedOutputs` defines (name, unit, the
 * reporter's checked value text, interval, level) plus the noise's parameters shown beside them.
 * No per-output ε is stored: ε does not add across outputs, so the only ε stated is the whole
 * release's, from its total (ξ, ρ) (`releasePrivacy` in #concord/accounting).
 */
export function releaseOutputs(plan: SessionPlan, texts: readonly string[]): OutputRelease[] {
  const published = publishedOutputs(plan, texts);
  return plan.outputs.map((o, i) => {
    const bars = outputErrorBars(o);
    return {
      name: published[i].name,
      unit: published[i].unit,
      valuesText: published[i].values,
      cells: o.length,
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

/** The digest the seals cover: of exactly what `publishedOutputs` says is published. */
export function releaseDigestOfTexts(plan: SessionPlan, texts: readonly string[]): string {
  return releaseDigest(plan.sessionId, publishedOutputs(plan, texts));
}
