import type { OpenedOutput } from '#concord/engine';
import {
  type FieldVector,
  fieldById,
  fromBigInts,
  fromSafeIntegers,
  type PrimeField,
  vectorFromBytes,
} from '#concord/field';
import type { SessionPlan } from '#concord/protocol';

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
          : decimalVector(field, o.values!, expected.length);
    } catch {
      return undefined;
    }
    if (!vector) return undefined;
    opened.push({ name: o.name, vector });
  }
  return opened;
}

function decimalVector(field: PrimeField, text: string, cells: number): FieldVector | undefined {
  const scanned = scanSafeDecimals(text, cells);
  return scanned === 'wide'
    ? wideDecimals(field, text, cells)
    : scanned && fromSafeIntegers(field, scanned);
}

/**
 * Parses exactly `cells` canonical decimals of at most 15 digits (exact in a double) in one pass,
 * without a string per value: a million-cell release is 8 MB of text. 'wide' when a value has
 * more digits; undefined when the text is not `cells` canonical decimals.
 */
function scanSafeDecimals(text: string, cells: number): Float64Array | 'wide' | undefined {
  const out = new Float64Array(cells);
  let cell = 0;
  let value = 0;
  let digits = 0;
  let negative = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44; /* a final ',' closes the last value */
    if (c === 44 /* , */) {
      if (digits === 0 || cell === cells || (negative && value === 0)) return undefined;
      out[cell++] = negative ? -value : value;
      value = 0;
      digits = 0;
      negative = false;
    } else if (c === 45 /* - */) {
      if (digits > 0 || negative) return undefined;
      negative = true;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return undefined; // a leading zero
      if (++digits > 15) return 'wide';
      value = value * 10 + (c - 48);
    } else {
      return undefined;
    }
  }
  return cell === cells ? out : undefined;
}

/** The slow path for values beyond 15 digits: one BigInt each. */
function wideDecimals(field: PrimeField, text: string, cells: number): FieldVector | undefined {
  const values = text.split(',');
  if (values.length !== cells) return undefined;
  for (const v of values) {
    if (!/^-?(0|[1-9][0-9]*)$/.test(v) || v === '-0') return undefined;
  }
  return fromBigInts(field, values.map(BigInt));
}
