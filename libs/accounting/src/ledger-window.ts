import { dayNumber, dayText } from '#concord/calendar';

/**
 * Privacy-unit windows as the ledgers name them. A window is one service day (`2026-03-09`), a
 * span of consecutive days (`2026-03-09..2026-03-15`, both ends included), or any other label
 * (`all`, for protocols without a date), which is a bucket of its own.
 *
 * The guarantee is per rider-day: a span charges every day it covers. Changing one rider's data on
 * one day moves a week's release by at most that rider's bounded contribution over the week, so a
 * week's ρ is a loss of at most ρ for each of its days; a day's cap must hold whatever mix of
 * day and span requests it was charged by.
 */

/** The longest span a window may cover (a month and a day; longer is a mistake, not a request). */
export const MAX_WINDOW_DAYS = 31;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The window a request for `days` days from `firstDate` charges: the day, or the span. */
export function windowFor(firstDate: string, days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS)
    throw new RangeError(`a window covers 1 to ${MAX_WINDOW_DAYS} days, not ${days}`);
  const first = dayNumber(firstDate);
  if (first === undefined) throw new RangeError(`${JSON.stringify(firstDate)} is not a date`);
  return days === 1 ? firstDate : `${firstDate}..${dayText(first + days - 1)}`;
}

/**
 * The service days `window` covers, in order; undefined for a label that is not a date or a
 * well-formed span (it covers no day: only entries with the very same label share its bucket).
 */
export function windowDays(window: string): readonly string[] | undefined {
  if (DAY.test(window)) return dayNumber(window) === undefined ? undefined : [window];
  const [from, to, ...rest] = window.split('..');
  if (from === undefined || to === undefined || rest.length > 0) return undefined;
  const a = DAY.test(from) ? dayNumber(from) : undefined;
  const b = DAY.test(to) ? dayNumber(to) : undefined;
  if (a === undefined || b === undefined || b <= a || b - a >= MAX_WINDOW_DAYS) return undefined;
  return Array.from({ length: b - a + 1 }, (_, i) => dayText(a + i));
}

/** Whether an entry charged to `entryWindow` counts against the bucket of day or label `bucket`. */
export function windowCovers(entryWindow: string, bucket: string): boolean {
  if (entryWindow === bucket) return true;
  const days = windowDays(entryWindow);
  return days !== undefined && days.length > 1 && days.includes(bucket);
}

/** The buckets a charge to `window` must fit in: each day it covers, or the label itself. */
export function windowBuckets(window: string): readonly string[] {
  return windowDays(window) ?? [window];
}
