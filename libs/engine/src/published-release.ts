import { type FieldVector, vectorToBytes } from '#concord/field';
import { outputErrorBars, type SessionPlan } from '#concord/protocol';
import {
  type PublishedOutput,
  type PublishedOutputHeader,
  releaseDigest,
  releaseDigestOfLimbs,
  type ReleaseDigestVersion,
} from '#concord/transcript';
import { EngineError } from './engine-error.js';
import { type OpenedOutput, outputDecimals, type SessionResult } from './session-result.js';

/** What a session publishes of each output besides its values, with its cell count. */
export type PublishedHeader = PublishedOutputHeader & { readonly cells: number };

/**
 * What a session publishes, defined once: for each plan output (in plan order) its name and unit
 * from the plan, its cell count, and the exact interval and confidence level the plan's noise
 * implies. Anything computed from the plan is never taken from the reporter, so only the values
 * can differ between the parties' views.
 */
export function publishedHeaders(plan: SessionPlan): PublishedHeader[] {
  return plan.outputs.map((o) => {
    const bars = outputErrorBars(o);
    return {
      name: o.name,
      unit: o.unit,
      cells: o.length,
      intervalHalfWidth: bars.halfWidth.toString(),
      confidenceLevel: bars.confidenceLevel,
    };
  });
}

/**
 * The published outputs with their values as canonical comma-separated decimal text: what
 * analysts are served, the export carries and the version 1 release digest covers.
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
  return publishedHeaders(plan).map(({ cells: _cells, ...header }, i) => ({
    ...header,
    values: valueTexts[i],
  }));
}

/**
 * The release digest of opened values, in the version the release entry names: version 2 over
 * the limbs (what every party opened, byte for byte), version 1 over their decimal text (written
 * here, once per output, only when a release asks for it).
 */
export function releaseDigestOfOpened(
  plan: SessionPlan,
  opened: readonly OpenedOutput[],
  version: ReleaseDigestVersion,
): string {
  if (
    opened.length !== plan.outputs.length ||
    opened.some((o, i) => o.name !== plan.outputs[i].name)
  ) {
    throw new EngineError('malformed-payload', 'the opened result does not name the plan outputs');
  }
  return version === 2
    ? releaseDigestOfVectors(
        plan,
        opened.map((o) => o.vector),
      )
    : releaseDigest(plan.sessionId, publishedOutputs(plan, opened.map(outputDecimals)));
}

/** The version 2 release digest of one vector per plan output (opened, stored or parsed). */
export function releaseDigestOfVectors(plan: SessionPlan, vectors: readonly FieldVector[]): string {
  const wrong = vectors.findIndex(
    (v, i) => v.field.id !== plan.field || v.length !== plan.outputs[i]?.length,
  );
  if (vectors.length !== plan.outputs.length || wrong !== -1) {
    throw new EngineError(
      'malformed-payload',
      'a release needs one vector of the plan’s field and length per plan output',
    );
  }
  return releaseDigestOfLimbs(
    plan.sessionId,
    plan.field,
    publishedHeaders(plan),
    vectors.map(vectorToBytes),
  );
}

/**
 * The release digest of a result this party opened itself: what `session.results.releaseDigest`
 * must say before the party seals. The result's outputs are in plan order (the engines open them
 * that way); a result naming other outputs is refused rather than hashed.
 */
export function releaseDigestOf(
  plan: SessionPlan,
  result: SessionResult,
  version: ReleaseDigestVersion,
): string {
  return releaseDigestOfOpened(plan, result.outputs, version);
}
