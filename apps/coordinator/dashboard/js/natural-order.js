/**
 * Natural order of axis labels: digit runs compare as numbers, so route "9" comes before "10"
 * and "R9" before "R10" (a plain string sort puts "10" first). The coordinator lists public axes
 * in this order; the dashboard sorts again so reports stored before it did read the same way.
 */

const collator = new Intl.Collator('en', { numeric: true });

/**
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareNatural(a, b) {
  // "01" and "1" are equal to a numeric collator; code-unit order settles ties so the order is total.
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The indices of `values` in natural order of the values.
 * @param {readonly string[]} values
 * @returns {number[]}
 */
export function naturalOrder(values) {
  return values.map((_, i) => i).sort((i, j) => compareNatural(values[i], values[j]));
}
