/**
 * The order a public axis's values are listed in (and so the order of a report's cells): natural
 * order, digit runs compared as numbers, so route "9" comes before "10" and "R9" before "R10" (a
 * plain string sort puts "10" first, and that is what analysts read down a table or chart).
 *
 * Agency nodes never re-sort: they compile the plan from the list the coordinator sends, so only
 * the coordinator (and the synthetic-city oracles, which mirror it) need this order.
 */
const collator = new Intl.Collator('en', { numeric: true });

export function compareAxisValues(a: string, b: string): number {
  // A numeric collator calls "01" and "1" equal: code-unit order settles ties, so the order is total.
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
