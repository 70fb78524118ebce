import type { OpenedOutput } from '#concord/engine';
import { fieldById, fromBigInts, fromSafeIntegers } from '#concord/field';
import type { SessionPlan } from '#concord/protocol';

/** The reporter's released values, as the wire carries them: comma-separated decimals per output. */
export interface ReportedOutput {
  readonly name: string;
  readonly values: string;
}

/**
 * The reporter's values, split into canonical decimal strings (what is stored and served) and
 * re-encoded in the plan's field (so the caller can check them against the agreed digest).
 * Undefined when they do not fit the plan: other outputs, other lengths, a value outside the
 * field, or a number spelled two ways.
 */
export function decodeReportedValues(
  plan: SessionPlan,
  outputs: readonly ReportedOutput[],
): { opened: OpenedOutput[]; values: string[][] } | undefined {
  if (outputs.length !== plan.outputs.length) return undefined;
  const field = fieldById(plan.field);
  const opened: OpenedOutput[] = [];
  const values: string[][] = [];
  for (const [i, o] of outputs.entries()) {
    const cells = o.values.split(',');
    if (o.name !== plan.outputs[i].name || cells.length !== plan.outputs[i].length)
      return undefined;
    let small = true;
    for (const v of cells) {
      // One spelling per number ("7", "-7", "0"; never "07" or "-0"), so what is stored and
      // served is exactly what the digest covers.
      if (v.length > 1 && (v[0] === '0' || (v[0] === '-' && v[1] === '0'))) return undefined;
      if (v.length >= 16) small = false;
    }
    try {
      const vector = small
        ? fromSafeIntegers(field, cells.map(Number))
        : fromBigInts(field, cells.map(BigInt));
      opened.push({ name: o.name, vector });
    } catch {
      return undefined;
    }
    values.push(cells);
  }
  return { opened, values };
}
