/**
 * The shape of a report's results. Each output is a vector of noisy integers, row-major over its
 * axes (the report's `grid` lists every axis's values). Outputs over the same axes form a group
 * shown together; a view of a group is one slice: the last axis runs along the chart, every other
 * axis is fixed to one value or summed over.
 */

import { naturalOrder } from './natural-order.js';
import { ratioCell } from './ratio.js';

/**
 * @typedef {object} ReportOutput
 * @property {string} name
 * @property {string} title
 * @property {string} unit
 * @property {string[]} axes
 * @property {string[]} values
 * @property {string} confidenceLevel
 * @property {string} intervalHalfWidth
 * @property {{ cells: number, halfWidth: string }[]} [sliceHalfWidths]  exact, per cells summed
 * @property {Record<string, unknown>} noise
 *
 * @typedef {object} ReportDerived
 * @property {string} name
 * @property {string} title
 * @property {string} unit
 * @property {(string | null)[]} values
 * @property {string} [numerator]    present when the API names them (aggregated ratios need them)
 * @property {string} [denominator]
 * @property {string} [confidenceLevel]   coverage of `intervals` (at least)
 * @property {([string, string] | null)[]} [intervals]   per cell, the ratio's range
 * @property {(string | null)[]} [reasons]   per cell, why there is no range
 *
 * @typedef {object} Axis
 * @property {string} name
 * @property {string[]} values   in the API's order (cells are row-major over it)
 * @property {number[]} order    value indices in display order: natural for listed values
 *   ("9" before "10"), as given for an integer range
 *
 * @typedef {object} ResultGroup
 * @property {Axis[]} axes
 * @property {number} cells
 * @property {ReportOutput[]} outputs
 * @property {ReportDerived[]} derived
 *
 * @typedef {{ label: string, indices: number[] }} SliceRow
 */

/** Selecting every value of an axis: its cells are summed. */
export const ALL = -1;

/**
 * @param {{ grid: { name: string, values?: string[], range?: [number, number] }[], outputs: ReportOutput[], derived: ReportDerived[] }} report
 * @returns {ResultGroup[]}
 */
export function resultGroups(report) {
  /** @type {Map<string, Axis>} */
  const gridAxes = new Map(
    report.grid.map((a) => {
      const values = a.values ?? [];
      const order = a.range ? values.map((_, i) => i) : naturalOrder(values);
      return [a.name, { name: a.name, values, order }];
    }),
  );
  /** @type {Map<string, ResultGroup>} */
  const groups = new Map();
  for (const output of report.outputs) {
    /** @type {Axis[]} */
    let axes = output.axes.map((name) => gridAxes.get(name) ?? { name, values: [], order: [] });
    let cells = axes.reduce((n, a) => n * a.values.length, 1);
    if (cells !== output.values.length) {
      // Defensive: a grid that does not match is shown as a plain list of cells.
      const values = output.values.map((_, i) => String(i + 1));
      axes = [{ name: 'cell', values, order: values.map((_, i) => i) }];
      cells = output.values.length;
    }
    const key = axes.map((a) => a.name).join('\u0000');
    const group = groups.get(key) ?? { axes, cells, outputs: [], derived: [] };
    group.outputs.push(output);
    groups.set(key, group);
  }
  const list = [...groups.values()];
  for (const d of report.derived) {
    const home =
      list.find((g) => g.outputs.some((o) => o.name === d.numerator)) ??
      list.find((g) => g.cells === d.values.length);
    home?.derived.push(d);
  }
  return list;
}

/**
 * The rows of one slice: one per value of the last axis, in display order, each listing the
 * cells it sums.
 * @param {ResultGroup} group
 * @param {number[]} selection  for every axis but the last: a value index, or ALL
 * @returns {SliceRow[]}
 */
export function sliceRows(group, selection) {
  const { axes } = group;
  if (axes.length === 0) return [{ label: 'Total', indices: [0] }];
  const sizes = axes.map((a) => a.values.length);
  const strides = sizes.map((_, i) => sizes.slice(i + 1).reduce((n, s) => n * s, 1));
  const last = axes.length - 1;
  /** @type {number[]} */
  let bases = [0];
  for (let axis = 0; axis < last; axis += 1) {
    const chosen = selection[axis] ?? 0;
    const picks = chosen === ALL ? [...Array(sizes[axis]).keys()] : [chosen];
    bases = bases.flatMap((base) => picks.map((p) => base + p * strides[axis]));
  }
  const { values, order } = axes[last];
  return order.map((x) => ({ label: values[x], indices: bases.map((b) => b + x) }));
}

/**
 * A released value over a row's cells: the cell itself, or the sum of its cells with the exact
 * interval of the sum (the API's `sliceHalfWidths`: the convolution of the cells' noise laws).
 * Only a report from a coordinator that does not list it falls back to the √cells
 * approximation, flagged as such.
 * @param {ReportOutput} output
 * @param {number[]} indices
 * @returns {{ value: bigint, halfWidth: bigint, approximate: boolean }}
 */
export function rowValue(output, indices) {
  const value = indices.reduce((sum, i) => sum + BigInt(output.values[i]), 0n);
  const single = BigInt(output.intervalHalfWidth);
  if (indices.length === 1) return { value, halfWidth: single, approximate: false };
  const exact = output.sliceHalfWidths?.find((s) => s.cells === indices.length);
  if (exact) return { value, halfWidth: BigInt(exact.halfWidth), approximate: false };
  const scaled = Math.ceil(Number(single) * Math.sqrt(indices.length));
  return { value, halfWidth: BigInt(scaled), approximate: true };
}

/**
 * A derived ratio over a row: the API's value, range and reason for a single cell; for a sum,
 * the ratio of the sums with its range from both sums' exact intervals (or the reason it has
 * none), by the coordinator's rules. Undefined when the API does not name the ratio's outputs.
 * @param {ReportDerived} derived
 * @param {ResultGroup} group
 * @param {number[]} indices
 * @returns {import('./ratio.js').RatioCell | undefined}
 */
export function rowRatio(derived, group, indices) {
  if (indices.length === 1) {
    const i = indices[0];
    const range = derived.intervals?.[i] ?? null;
    return {
      value: derived.values[i] ?? null,
      range,
      reason:
        range !== null
          ? null
          : (derived.reasons?.[i] ??
            'not estimable at this budget: the denominator may be zero or negative'),
    };
  }
  const numerator = group.outputs.find((o) => o.name === derived.numerator);
  const denominator = group.outputs.find((o) => o.name === derived.denominator);
  if (!numerator || !denominator) return undefined;
  const n = rowValue(numerator, indices);
  const d = rowValue(denominator, indices);
  return ratioCell(derived.unit, n.value, n.halfWidth, d.value, d.halfWidth, denominator.name);
}
