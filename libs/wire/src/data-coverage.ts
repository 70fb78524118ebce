import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  Matches,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import { dayNumber, dayText } from '#concord/calendar';

// What an agency node holds, announced to the coordinator after each login and whenever it
// changes (`FromNode.coverage`): public metadata — which connectors it can run and, for each
// connector that reads per service day, which service dates its data has. Never row counts, never
// values. Sent after login rather than in `auth.response`, whose frame is bounded before the node
// is known (`WireLimits.maxPreAuthFrameBytes`).

/** Connectors one announcement names, at most (the catalogue's use a dozen). */
export const MAX_COVERAGE_INPUTS = 16;
/**
 * Date ranges per connector, at most: consecutive days are one range, so this is the number of
 * gaps a node can describe (daily data with a gap every other day for over a year fits). With
 * `MAX_COVERAGE_INPUTS` it keeps the message within `NODE_MESSAGE_SHAPE`'s 10,000 nodes.
 */
export const MAX_DATE_RANGES = 500;

/**
 * - `dated`: the connector reads per service date; `dates` lists the ones its data holds.
 * - `any-date`: it reads a table that does not depend on the date (population, stop equity).
 * - `unknown`: it cannot tell without running (a database query taking the date as `$1`); the
 *   node finds out when a session asks, and declines with `no-data-for-date` if it has none.
 */
export const COVERAGE_KINDS = ['dated', 'any-date', 'unknown'] as const;
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

/** `2026-03-10` or the inclusive range `2026-03-01/2026-03-31` (ISO 8601 interval notation). */
const DATE_RANGE = /^(\d{4}-\d{2}-\d{2})(?:\/(\d{4}-\d{2}-\d{2}))?$/;

export class InputCoverageDto {
  @Matches(/^[a-z][a-z0-9-]{1,62}$/)
  connector: string;

  @IsIn(COVERAGE_KINDS)
  kind: CoverageKind;

  /** Ascending, disjoint, non-adjacent ranges of real calendar dates (only when `dated`). */
  @ValidateIf((o: InputCoverageDto) => o.kind === 'dated' || o.dates !== undefined)
  @IsArray()
  @ArrayMaxSize(MAX_DATE_RANGES)
  @IsDateRanges()
  dates?: string[];
}

export class NodeCoverageDto {
  @IsArray()
  @ArrayMaxSize(MAX_COVERAGE_INPUTS)
  @ValidateNested({ each: true })
  @Type(() => InputCoverageDto)
  inputs: InputCoverageDto[];
}

/** One connector's coverage, as the node computed it and the coordinator keeps it. */
export interface InputCoverage {
  readonly connector: string;
  readonly kind: CoverageKind;
  /** Only for `dated`: canonical ranges (see `toDateRanges`). */
  readonly dates?: readonly string[];
}

/** What one agency node holds. */
export interface DataCoverage {
  readonly inputs: readonly InputCoverage[];
}

function IsDateRanges(options?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isDateRanges',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => Array.isArray(value) && areDateRanges(value),
        defaultMessage: () =>
          'dates must be ascending, disjoint ranges YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD of real dates',
      },
    });
  };
}

/** Whether `ranges` is canonical: each a real date or range, ascending, with a gap between. */
export function areDateRanges(ranges: readonly unknown[]): boolean {
  let previousEnd: number | undefined;
  for (const r of ranges) {
    const bounds = typeof r === 'string' ? rangeDays(r) : undefined;
    if (!bounds) return false;
    if (previousEnd !== undefined && bounds.from <= previousEnd + 1) return false;
    previousEnd = bounds.to;
  }
  return true;
}

function rangeDays(range: string): { from: number; to: number } | undefined {
  const m = DATE_RANGE.exec(range);
  if (!m) return undefined;
  const from = dayNumber(m[1]);
  const to = m[2] === undefined ? from : dayNumber(m[2]);
  if (from === undefined || to === undefined || to < from) return undefined;
  return { from, to };
}

/**
 * Canonical ranges of a set of dates (`YYYY-MM-DD`; anything else is ignored): consecutive days
 * merged, ascending. Throws `RangeError` past `MAX_DATE_RANGES`, which a caller reports rather
 * than announcing a truncated (and so wrong) coverage.
 */
export function toDateRanges(dates: Iterable<string>): string[] {
  const days = [...new Set([...dates].map(dayNumber))]
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] === days[j] + 1) j++;
    ranges.push(i === j ? dayText(days[i]) : `${dayText(days[i])}/${dayText(days[j])}`);
    i = j + 1;
  }
  if (ranges.length > MAX_DATE_RANGES)
    throw new RangeError(
      `${ranges.length} separate date ranges; at most ${MAX_DATE_RANGES} can be announced`,
    );
  return ranges;
}

/** Whether canonical `ranges` include `date` (`YYYY-MM-DD`). */
export function rangesInclude(ranges: readonly string[], date: string): boolean {
  const day = dayNumber(date);
  if (day === undefined) return false;
  return ranges.some((r) => {
    const b = rangeDays(r);
    return b !== undefined && b.from <= day && day <= b.to;
  });
}

/** The dates of canonical `ranges`, ascending, at most `limit` of them (the first ones). */
export function expandDateRanges(ranges: readonly string[], limit: number): string[] {
  const out: string[] = [];
  for (const r of ranges) {
    const b = rangeDays(r);
    if (!b) continue;
    for (let d = b.from; d <= b.to && out.length < limit; d++) out.push(dayText(d));
  }
  return out;
}

/** The dates both canonical range lists include, as canonical ranges. */
export function intersectDateRanges(a: readonly string[], b: readonly string[]): string[] {
  const left = a.map(rangeDays).filter((r) => r !== undefined);
  const right = b.map(rangeDays).filter((r) => r !== undefined);
  const out: string[] = [];
  for (let i = 0, j = 0; i < left.length && j < right.length;) {
    const from = Math.max(left[i].from, right[j].from);
    const to = Math.min(left[i].to, right[j].to);
    if (from <= to) out.push(from === to ? dayText(from) : `${dayText(from)}/${dayText(to)}`);
    if (left[i].to < right[j].to) i++;
    else j++;
  }
  return out;
}

/**
 * The first days of every run of `days` consecutive dates inside canonical `ranges`, as canonical
 * ranges: what a protocol whose window spans `days` days can be requested for (each range loses
 * its last `days − 1` days; a range shorter than that offers none).
 */
export function windowStarts(ranges: readonly string[], days: number): string[] {
  const out: string[] = [];
  for (const r of ranges) {
    const b = rangeDays(r);
    if (!b) continue;
    const to = b.to - (days - 1);
    if (to >= b.from) out.push(to === b.from ? dayText(to) : `${dayText(b.from)}/${dayText(to)}`);
  }
  return out;
}
