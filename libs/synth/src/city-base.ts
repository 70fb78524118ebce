import { type NetworkLayout, layoutNetwork } from './network-layout.js';
import { type NetworkModel, buildNetworkModel } from './network-model.js';
import { type CityParams, type ParamOverrides, type ScaleName, resolveParams } from './params.js';
import { paramsHash } from './params-hash.js';
import { expectedJourneys } from './day-profile.js';
import { type PathContext, buildPathContext, sampleLegCount, samplePath } from './itineraries.js';
import { type RiderPopulation, allocateRiders } from './riders.js';
import { WeightedTable } from './sampling.js';
import { type Schedule, buildSchedule, tripsPerRoute } from './schedule.js';
import { type CitySeed, normalizeSeed, substream } from './substream.js';
import { type EnrolmentContext } from './enrolment.js';
import { type DayType, operatingDayType, serviceIdOf } from './time-format.js';
import { type ZoneModel, generateZones } from './zones.js';

/**
 * Everything about a city that does not change from day to day: zones, network, timetables,
 * and the rider population's size and distribution. Riders and their days are regenerated
 * from substreams on demand, which is what lets large scales stream.
 */
export interface CityBase {
  seed: string;
  scale: ScaleName;
  params: CityParams;
  paramsHash: string;
  zones: ZoneModel;
  layout: NetworkLayout;
  schedule: Schedule;
  network: NetworkModel;
  paths: PathContext;
  riders: RiderPopulation;
  /** Weekday boardings the rider count was sized for: population x boardings per capita. */
  targetWeekdayBoardings: number;
  /** Mean legs per journey the path model actually produces (pilot estimate). */
  meanLegsPerJourney: number;
}

export interface CityBaseOptions {
  seed: CitySeed;
  scale: ScaleName;
  params?: ParamOverrides;
  /** Day types whose timetables are built (default: the day type of params.serviceDate). */
  dayTypes?: readonly DayType[];
}

const PILOT_JOURNEYS = 10_000;

export function buildCityBase(options: CityBaseOptions): CityBase {
  const seed = normalizeSeed(options.seed);
  const params = resolveParams(options.scale, options.params);
  const zones = generateZones(seed, params.zones);
  const layout = layoutNetwork(seed, params, zones);
  const dayTypes = options.dayTypes ?? [operatingDayType(params.serviceDate)];
  const services = [...new Set(dayTypes)].map((dayType) => ({
    serviceId: serviceIdOf(dayType),
    dayType,
  }));
  const schedule = buildSchedule(seed, params.network, layout, services);
  const network = buildNetworkModel(seed, params.network, layout, zones);
  const routeWeights = tripsPerRoute(schedule, services[0].serviceId, layout.routes.length);
  const span = params.network.lastDepartureSeconds - params.network.firstDepartureSeconds;
  const meanHeadway = routeWeights.map((trips) => (trips > 0 ? (2 * span) / trips : span));
  const paths = buildPathContext(
    layout,
    network,
    routeWeights,
    meanHeadway,
    params.demand.gravityDecayMeters,
    params.demand.minLegMeters,
  );

  const population = zones.records.reduce((a, z) => a + z.population, 0);
  const targetWeekdayBoardings = population * params.demand.boardingsPerCapita;
  const meanLegsPerJourney = pilotMeanLegs(seed, params, zones, paths);
  const journeysPerRider = expectedJourneys(params.demand, 'weekday').reduce((a, b) => a + b, 0);
  const count = Math.max(
    1,
    Math.round(targetWeekdayBoardings / (journeysPerRider * meanLegsPerJourney)),
  );
  const riders = allocateRiders(zones, params.demand, count);

  return {
    seed,
    scale: options.scale,
    params,
    paramsHash: paramsHash(params),
    zones,
    layout,
    schedule,
    network,
    paths,
    riders,
    targetWeekdayBoardings,
    meanLegsPerJourney,
  };
}

/**
 * The realised mean legs per journey (fewer than requested where a route offers no transfer),
 * estimated on a fixed pilot sample so the rider count hits the boardings target.
 */
function pilotMeanLegs(
  seed: string,
  params: CityParams,
  zones: ZoneModel,
  paths: PathContext,
): number {
  const rng = substream(seed, 'world', 'pilot', 'legs');
  const zoneTable = new WeightedTable(
    zones.records.map(
      (z, i) => z.population * (0.5 + zones.zeroVehicleShare[i] + 0.5 * zones.lowIncomeShare[i]),
    ),
  );
  let legs = 0;
  let journeys = 0;
  for (let k = 0; k < PILOT_JOURNEYS; k++) {
    const zone = zoneTable.pick(rng);
    const origins = paths.network.zoneOriginStops[zone];
    const origin = origins[Math.max(0, paths.network.zoneOriginTables[zone].pick(rng))];
    const path = samplePath(paths, rng, origin, sampleLegCount(rng, params.demand.legsPerJourney));
    legs += path.length;
    journeys++;
  }
  return legs > 0 ? legs / journeys : 1;
}

/** What planning's enrolment draw needs from the day-independent city. */
export function enrolmentContext(base: CityBase): EnrolmentContext {
  return { seed: base.seed, params: base.params.enrolment, equityRatio: base.riders.equityRatio };
}
