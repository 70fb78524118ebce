import {
  type AgencyRecord,
  type CalendarDateRecord,
  type CalendarRecord,
  type RouteCostRecord,
} from './city-records.js';
import { type CityBase } from './city-base.js';
import { clamp } from './sampling.js';
import { substream } from './substream.js';
import { dayTypeOf, serviceIdOf } from './time-format.js';

export function agencyRecord(base: CityBase): AgencyRecord {
  const a = base.params.agency;
  return { agencyId: a.id, agencyName: a.name, agencyUrl: a.url, agencyTimezone: a.timezone };
}

/** Weekday, Saturday and Sunday service for the calendar year of the first service date. */
export function calendarRecords(serviceDate: string): CalendarRecord[] {
  const year = serviceDate.slice(0, 4);
  const span = { startDate: `${year}0101`, endDate: `${year}1231` };
  return [
    { serviceId: 'WKDY', days: [1, 1, 1, 1, 1, 0, 0], ...span },
    { serviceId: 'SAT', days: [0, 0, 0, 0, 0, 1, 0], ...span },
    { serviceId: 'SUN', days: [0, 0, 0, 0, 0, 0, 1], ...span },
  ];
}

/** Christmas Day runs the Sunday service (unless it already is a Sunday). */
export function calendarDateRecords(serviceDate: string): CalendarDateRecord[] {
  const holiday = `${serviceDate.slice(0, 4)}1225`;
  const dayType = dayTypeOf(holiday);
  if (dayType === 'sunday') return [];
  return [
    { serviceId: serviceIdOf(dayType), date: holiday, exceptionType: 2 },
    { serviceId: 'SUN', date: holiday, exceptionType: 1 },
  ];
}

/** Revenue hours per route over the timetables built, and a route-specific cost per hour. */
export function routeCostRecords(base: CityBase): RouteCostRecord[] {
  const hours = new Array<number>(base.layout.routes.length).fill(0);
  for (const trip of base.schedule.trips) {
    const offsets = base.schedule.patterns[trip.patternIndex].offsetsSeconds;
    hours[trip.routeIndex] += offsets[offsets.length - 1] / 3600;
  }
  const n = base.params.network;
  return base.layout.routes.map((r, i) => {
    const rng = substream(base.seed, 'T', 'route-cost', r.routeId);
    const dollars = clamp(rng.normal(n.costPerRevenueHourMean, n.costPerRevenueHourSd), 40, 1000);
    return {
      routeId: r.routeId,
      revenueHours: Math.round(hours[i] * 100) / 100,
      costPerRevHourCents: Math.round(dollars * 100),
    };
  });
}
