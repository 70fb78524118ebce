import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import { type PublishedOutput, releaseDigest } from '#concord/transcript';
import { EngineError } from './engine-error.js';
import { outputDecimals, type SessionResult } from './session-result.js';

/**
 * What a session publishes, defined once: for each plan output (in plan order) its name and unit
 * from the plan, the noisy values as canonical comma-separated decimal text, and the exact
 * interval and confidence level the plan's noise implies. The coordinator stores and serves
 * exactly this; every agency recomputes it from the values it opened before sealing; auditors
 * re-hash what they were served. Anything computed from the plan (unit, interval, level) is never
 * taken from the reporter, so only the values can differ between the parties' views.
 */
export function publishedOutputs(
  plan: SessionPlan,
  valueTexts: readonly string[],
): PublishedOutput[] {
  if (valueTexts.length !== plan.outputs.length) {
    throw new EngineError(
      'malformed-payload',
      `a release needs one value text per plan output (${plan.outputs.length}), got ${valueTexts.length}`,
    );
  }
  return plan.outputs.map((o, i) => {
    const bars = outputErrorBars(o);
    return {
      name: o.name,
      unit: o.unit,
      values: valueTexts[i],
      intervalHalfWidth: bars.halfWidth.toString(),
      confidenceLevel: bars.confidenceLevel,
    };
  });
}

/**
 * The release digest of a result this party opened itself: what `session.results.releaseDigest`
 * must say before the party seals. The result's outputs are in plan order (the engines open them
 * that way); a result naming other outputs is refused rather than hashed.
 */
export function releaseDigestOf(plan: SessionPlan, result: SessionResult): string {
  if (
    result.outputs.length !== plan.outputs.length ||
    result.outputs.some((o, i) => o.name !== plan.outputs[i].name)
  ) {
    throw new EngineError('malformed-payload', 'the opened result does not name the plan outputs');
  }
  return releaseDigest(plan.sessionId, publishedOutputs(plan, result.outputs.map(outputDecimals)));
}
