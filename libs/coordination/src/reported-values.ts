import { type OpenedOutput, publishedVector } from '#concord/engine';
import { type FieldVector, fieldById, vectorFromBytes } from '#concord/field';
import type { SessionPlan } from '#concord/protocol';
import type { ReleaseDigestVersion } from '#concord/transcript';

import type { ReportedOutput } from './events.js';

/**
 * The reporter's values as vectors of the plan's field, so the caller can check them against the
 * agreed digest (which covers exactly these limbs). Nodes send each output's canonical limbs, a
 * binary frame taken as it is (every limb below its prime); nodes of the previous release sent
 * comma-separated decimals, still taken. Undefined when they do not fit the plan: other outputs,
 * other lengths, both forms or neither, a limb or value outside the field, or a number spelled two
 * ways ("07", "-0").
 */
export function decodeReportedValues(
  plan: SessionPlan,
  outputs: readonly ReportedOutput[],
): OpenedOutput[] | undefined {
  if (outputs.length !== plan.outputs.length) return undefined;
  const field = fieldById(plan.field);
  const opened: OpenedOutput[] = [];
  for (const [i, o] of outputs.entries()) {
    const expected = plan.outputs[i];
    if (o.name !== expected.name || (o.limbs === undefined) === (o.values === undefined))
      return undefined;
    let vector: FieldVector | undefined;
    try {
      vector =
        o.limbs !== undefined
          ? vectorFromBytes(field, expected.length, o.limbs)
          : publishedVector(field, o.values!, expected.length);
    } catch {
      return undefined;
    }
    if (!vector) return undefined;
    opened.push({ name: o.name, vector });
  }
  return opened;
}

/**
 * The release digest a release of these values carries: version 2 (over the limbs) when every
 * output came as limbs; version 1 (over the decimal text) when the reporter sent decimals, as a
 * node of the previous release does: it and its peers of that release seal only version 1.
 */
export function releaseDigestVersionOf(outputs: readonly ReportedOutput[]): ReleaseDigestVersion {
  return outputs.every((o) => o.limbs !== undefined) ? 2 : 1;
}
