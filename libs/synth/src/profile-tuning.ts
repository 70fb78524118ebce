import { type CityBase } from './city-base.js';
import { type Rider } from './riders.js';
import { clamp } from './sampling.js';
import { simulateRiderDay, startDay } from './service-day.js';
import { operatingDayType } from './time-format.js';

/** Every k-th rider takes part in the pilot day, with at most about this many riders. */
const PILOT_MAX_RIDERS = 60_000;

export function pilotStride(riderCount: number): number {
  return Math.max(3, Math.ceil(riderCount / PILOT_MAX_RIDERS));
}

/**
 * Hourly multipliers for the journey-time tables, from a pilot day: placing journeys on real
 * trips (headway gaps, band changes, transfers, no night service on most routes) bends the
 * realised boarding profile away from the sampled one by a few tenths of a point per hour; one
 * round of target / realised reweighting brings it back within the calibration tolerance.
 */
export function profileCorrection(
  base: CityBase,
  serviceDate: string,
  riderCount: number,
  riderAt: (index: number) => Rider,
): number[] {
  const day = startDay(base, serviceDate, { collectTaps: false });
  const stride = pilotStride(riderCount);
  for (let i = 0; i < riderCount; i += stride) simulateRiderDay(base, day, riderAt(i));
  const realised = day.stats.boardingsByHour;
  const total = realised.reduce((a, b) => a + b, 0);
  const demand = base.params.demand;
  const profile =
    operatingDayType(serviceDate) === 'weekday' ? demand.weekdayProfile : demand.weekendProfile;
  const profileTotal = profile.reduce((a, b) => a + b, 0);
  return profile.map((p, h) => {
    if (total === 0 || realised[h] === 0) return 1;
    return clamp(p / profileTotal / (realised[h] / total), 0.5, 2);
  });
}
