import type { ProtocolDefinition } from './protocol-definition.js';
import { ProtocolError } from './protocol-error.js';

/** An analyst's choice of some values of a protocol's public axes (a district's zones). */
export type AxisSelection = Readonly<Record<string, readonly string[]>>;

/**
 * The public axis values a request's grid uses: every value of each public axis, except where the
 * analyst selected some (`selection`), then those, in the public list's order. A selection narrows
 * a grid only to values the public data holds, on axes whose values come from public data, so the
 * grid stays data-independent (differential privacy holds for any such grid) while a join
 * protocol whose full grid is too large for a session (origin–destination flows over a city's
 * 250 zones) can run over a district. Refused, before anything is charged: an axis the protocol
 * does not have or whose values are not public, an empty list, a repeated or unknown value.
 */
export function selectAxisValues(
  definition: ProtocolDefinition,
  publicValues: Readonly<Record<string, readonly string[]>>,
  selection: AxisSelection = {},
): Record<string, string[]> {
  const out: Record<string, string[]> = Object.fromEntries(
    Object.entries(publicValues).map(([name, values]) => [name, [...values]]),
  );
  for (const [name, chosen] of Object.entries(selection)) {
    const axis = definition.axes.find((a) => a.name === name);
    if (!axis || !('public' in axis.source)) {
      const open = definition.axes.filter((a) => 'public' in a.source).map((a) => a.name);
      throw new ProtocolError(
        'invalid-axis-values',
        `protocol ${definition.id} has no public axis ${name} to select values of` +
          (open.length ? ` (its public axes: ${open.join(', ')})` : ' (it has no public axis)'),
      );
    }
    const all = publicValues[name] ?? [];
    if (chosen.length === 0) {
      throw new ProtocolError('invalid-axis-values', `axis ${name}: select at least one value`);
    }
    const wanted = new Set(chosen);
    if (wanted.size !== chosen.length) {
      throw new ProtocolError('invalid-axis-values', `axis ${name}: a value is selected twice`);
    }
    const known = new Set(all);
    const unknown = chosen.find((v) => !known.has(v));
    if (unknown !== undefined) {
      throw new ProtocolError(
        'invalid-axis-values',
        `axis ${name}: ${JSON.stringify(unknown).slice(0, 80)} is not one of its ${all.length} public values`,
      );
    }
    out[name] = all.filter((v) => wanted.has(v));
  }
  return out;
}
