import { type OpenedOutput, resultDigest, type SessionResult } from '#concord/engine';
import { fromBigInts, type PrimeField } from '#concord/field';
import type { SessionPlan } from '#concord/protocol';
import { JiffEngineError } from './jiff-engine-error.js';

/**
 * The values the stock client opened (signed integers, per output), re-encoded in the plan's
 * field with the native engine's result digest, so a JIFF-mode party reports exactly what a
 * native party would. A value outside the field means the computation was corrupted.
 */
export function openedResult(
  plan: SessionPlan,
  field: PrimeField,
  outputs: readonly (readonly bigint[])[],
): SessionResult {
  if (
    outputs.length !== plan.outputs.length ||
    plan.outputs.some((o, i) => outputs[i].length !== o.length)
  ) {
    throw new JiffEngineError('jiff-client-failed', 'the JIFF client opened the wrong outputs');
  }
  const opened: OpenedOutput[] = plan.outputs.map((o, i) => {
    const values = outputs[i];
    const max = field.maxMagnitude;
    if (values.some((v) => v > max || v < -max)) {
      throw new JiffEngineError(
        'output-out-of-range',
        `output ${o.name} opened outside the plan's field: the JIFF computation was corrupted`,
      );
    }
    return { name: o.name, vector: fromBigInts(field, [...values]) };
  });
  return { outputs: opened, digest: resultDigest(plan.sessionId, opened) };
}
