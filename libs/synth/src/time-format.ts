import { SynthError } from './synth-error.js';

export type DayType = 'weekday' | 'saturday' | 'sunday';

const DAY_MS = 86_400_000;

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** GTFS time of day: HH:MM:SS counted from the service day's noon minus 12 h; may pass 24:00:00. */
export function gtfsTime(seconds: number): string {
  const s = Math.floor(seconds);
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** Milliseconds since the epoch of a YYYYMMDD date at 00:00 UTC; rejects impossible dates. */
export function serviceDateMs(serviceDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(serviceDate);
  if (!m) throw new SynthError('invalid-date', `not a YYYYMMDD date: ${serviceDate}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new SynthError('invalid-date', `no such date: ${serviceDate}`);
  }
  return ms;
}

function formatDate(ms: number, separator: string): string {
  const d = new Date(ms);
  return [d.getUTCFullYear(), pad2(d.getUTCMonth() + 1), pad2(d.getUTCDate())].join(separator);
}

/** The YYYYMMDD date `days` after `serviceDate`. */
export function addDays(serviceDate: string, days: number): string {
  return formatDate(serviceDateMs(serviceDate) + days * DAY_MS, '');
}

/**
 * ISO-8601 local timestamp without offset (`2026-03-10T07:45:12`) of `seconds` into the
 * service day; past midnight it rolls onto the next calendar date, as a tap at GTFS 24:30:00
 * really happens at 00:30 the next morning. Wall-clock arithmetic ignores DST shifts.
 */
export function isoLocalTimestamp(serviceDate: string, seconds: number): string {
  const ms = serviceDateMs(serviceDate) + Math.floor(seconds) * 1000;
  const d = new Date(ms);
  const time = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map(pad2).join(':');
  return `${formatDate(ms, '-')}T${time}`;
}

/** Seconds since the epoch of a local ISO timestamp read as naive wall-clock time. */
export function naiveTimestampSeconds(timestamp: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(timestamp);
  if (!m) throw new SynthError('invalid-date', `not a local ISO timestamp: ${timestamp}`);
  const n = m.slice(1).map(Number);
  return Date.UTC(n[0], n[1] - 1, n[2], n[3], n[4], n[5]) / 1000;
}

/** Hour of day 0..23 of a GTFS time (24:15:00 is hour 0 of the next morning). */
export function gtfsTimeHour(time: string): number {
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(time);
  if (!m) throw new SynthError('invalid-date', `not a GTFS time: ${time}`);
  return Number(m[1]) % 24;
}

/** Hour 0..23 of a local ISO timestamp. */
export function timestampHour(timestamp: string): number {
  return Number(timestamp.slice(11, 13));
}

export function dayTypeOf(serviceDate: string): DayType {
  const dow = new Date(serviceDateMs(serviceDate)).getUTCDay();
  return dow === 0 ? 'sunday' : dow === 6 ? 'saturday' : 'weekday';
}

/** The GTFS service_id operating on a day type. */
export function serviceIdOf(dayType: DayType): string {
  return dayType === 'weekday' ? 'WKDY' : dayType === 'saturday' ? 'SAT' : 'SUN';
}

/** The day type a date operates as: its calendar day type, except Christmas runs Sunday service. */
export function operatingDayType(serviceDate: string): DayType {
  return serviceDate.endsWith('1225') ? 'sunday' : dayTypeOf(serviceDate);
}
