const MS_PER_DAY = 86_400_000;

/**
 * A real calendar date `YYYY-MM-DD` as days since 1970-01-01 (UTC), or undefined for anything
 * else (`2026-02-30`, `2026-3-1`, a timestamp). Service days, ledger buckets and coverage ranges
 * are all such dates; counting them as integers makes spans and weeks plain arithmetic.
 */
export function dayNumber(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = m.slice(1).map(Number);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms / MS_PER_DAY;
}

/** The date `YYYY-MM-DD` of a day number (`dayNumber`'s inverse). */
export function dayText(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
