import { type OpenedOutput, outputDecimals, publishedOutputs } from '#concord/engine';
import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import { releaseDigest } from '#concord/transcript';
import type { OutputRelease } from './actions.js';

/**
 * The outputs a session releases, as stored: what `publishedOutputs` defines (name, unit, the
 * reporter's checked values, interval, level) plus the noise's parameters shown beside them. The
 * values are stored as the opened vectors' limbs, the form the result digest covers. No
 * per-output ε is stored: ε does not add across outputs, so the only ε stated is the whole
 * release's, from its total (ξ, ρ) (`releasePrivacy` in #concord/accounting).
 */
export function releaseOutputs(
  plan: SessionPlan,
  opened: readonly OpenedOutput[],
): OutputRelease[] {
  const published = publishedOutputs(plan, opened.map(outputDecimals));
  return plan.outputs.map((o, i) => {
    const bars = outputErrorBars(o);
    return {
      name: published[i].name,
      unit: published[i].unit,
      values: opened[i].vector,
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

/**
 * The digest the seals cover: of exactly what `publishedOutputs` says is published, the values as
 * their canonical decimal text (every party and auditor hashes that same text).
 */
export function releaseDigestOfOutputs(plan: SessionPlan, opened: readonly OpenedOutput[]): string {
  return releaseDigest(plan.sessionId, publishedOutputs(plan, opened.map(outputDecimals)));
}
