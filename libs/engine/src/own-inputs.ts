import { EngineError } from './engine-error.js';
import type { SessionPlan } from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';

/**
 * This party's inputs of the plan, by name, each checked against its declared length and cell
 * bounds before anything is shared (out-of-bounds data never leaves the node).
 */
export function ownInputs(
  plan: SessionPlan,
  self: PartyIndex,
  inputs: ReadonlyMap<string, ArrayLike<number>>,
): Map<string, ArrayLike<number>> {
  const own = new Map<string, ArrayLike<number>>();
  for (const input of plan.inputs.filter((i) => i.party === self)) {
    const values = inputs.get(input.name);
    if (!values || values.length !== input.length) {
      throw new EngineError(
        'input-out-of-bounds',
        `input ${input.name} must have ${input.length} cells`,
      );
    }
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isSafeInteger(v) || v < input.cell.min || v > input.cell.max) {
        throw new EngineError(
          'input-out-of-bounds',
          `input ${input.name} cell ${i} is outside [${input.cell.min}, ${input.cell.max}]`,
        );
      }
    }
    own.set(input.name, values);
  }
  return own;
}
