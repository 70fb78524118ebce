import { type RouteRecord, type StopRecord, type TripRecord } from './city-records.js';
import { isPassProduct, singleFareCents } from './fare-catalogue.js';
import { type TimedLeg } from './journey-timing.js';
import { type FareParams, type NoiseParams } from './params.js';
import { type Prng } from './prng.js';
import { type Rider } from './riders.js';
import { SynthError } from './synth-error.js';
import {
  NO_ROUTE,
  TAP_BALANCE,
  TAP_CAPPED,
  TAP_OFFLINE,
  TAP_TRANSFER,
  type TapColumns,
  holderCodes,
} from './tap-columns.js';

export interface FareContext {
  fares: FareParams;
  noise: NoiseParams;
  stops: readonly StopRecord[];
  routes: readonly RouteRecord[];
  trips: readonly TripRecord[];
  serviceDate: string;
}

/** What happened to the rider's money today (ground-truth statistics). */
export interface RiderDayFareOutcome {
  boardings: number;
  transfers: number;
  capped: boolean;
}

/** The route_id a validator reports when no route was keyed in (CTA-style). */
export const UNKNOWN_ROUTE_ID = '0';

/** Codes of FARE_ACTIONS (tap-columns.ts). */
const TAP_ON = 0;
const TAP_OFF = 1;
const DENIED = 2;

/**
 * The processor's view of one card's day: a tap-on per boarding (plus a tap-off at the end of a
 * tap-off rail ride), charged by the fare rules: pay-as-you-go single fare, free transfers within
 * the window from the last paid tap, a daily cap, rail zone supplements at tap-off; passes ride
 * at 0.00. Noise: denied taps before a successful retry, duplicate taps seconds later (not
 * charged), missing tap-offs, route "0" on bus validators, offline (late) records.
 */
export function tapsForRiderDay(
  ctx: FareContext,
  rider: Rider,
  legs: readonly TimedLeg[],
  rng: Prng,
  out: TapColumns,
): RiderDayFareOutcome {
  const { fares, noise } = ctx;
  const fare = singleFareCents(fares, rider.category);
  const cap = Math.round(fare * fares.dailyCapMultiple);
  const pass = isPassProduct(rider.product);
  let paid = 0;
  let lastPaid = -Infinity;
  let balance = rider.initialBalanceCents;
  let transfers = 0;
  let capped = false;

  const holderRecord = {
    tokenId: rider.tokenId,
    fareProduct: rider.product,
    riderCategory: rider.category,
    fareMedia: rider.media,
  };
  const holder = out.holders.length;
  if (out.keepHolders) out.holders.push(holderRecord);
  // Unrepresentable holders (never, with generated riders) leave zeros: their shard is written
  // from `holders` instead (fare-rows.ts), which a bytes-only day does not keep.
  const words = holderCodes(holderRecord);
  if (words === null) {
    if (!out.keepHolders) {
      throw new SynthError(
        'invalid-params',
        `rider ${rider.index}: a token or fare product that only a day keeping fare records can write`,
      );
    }
    out.irregularHolders = true;
  }
  /** One row: `route` NO_ROUTE for "0", `vehicleTrip` -1 for an empty vehicle_id. */
  const push = (
    seconds: number,
    action: number,
    stop: number,
    route: number,
    vehicleTrip: number,
    device: number,
    amount: number,
    nominal: number,
    flags: number,
  ): void => {
    const i = out.next();
    out.seconds[i] = seconds;
    out.action[i] = action;
    out.stop[i] = stop;
    out.route[i] = route;
    out.vehicleTrip[i] = vehicleTrip;
    out.device[i] = device;
    out.amount[i] = amount;
    out.nominal[i] = nominal;
    out.balance[i] = balance ?? 0;
    out.holder[i] = holder;
    out.tokenHi[i] = words?.hi ?? 0;
    out.tokenLo[i] = words?.lo ?? 0;
    out.codes[i] = words?.codes ?? 0;
    out.flags[i] =
      flags |
      (balance === null ? 0 : TAP_BALANCE) |
      (rng.chance(noise.offlineRecordRate) ? TAP_OFFLINE : 0);
  };
  const charge = (amount: number): void => {
    if (balance === null || amount === 0) return;
    if (balance < amount) balance += 2000; // autoload
    balance -= amount;
  };

  for (const leg of legs) {
    const trip = ctx.trips[leg.tripIndex];
    const route = ctx.routes[trip.routeIndex];
    const stop = ctx.stops[leg.boardStop];
    const rail = route.kind === 'rail';
    const vehicleTrip = rail ? -1 : leg.tripIndex;
    const device = rail ? leg.boardStop : -leg.tripIndex - 1;
    const tapSeconds = Math.floor(leg.boardSeconds) + rng.nextInt(20);
    const routeIndex = !rail && rng.chance(noise.misKeyedRouteRate) ? NO_ROUTE : trip.routeIndex;

    if (rng.chance(noise.deniedTapRate)) {
      const seconds = tapSeconds - rng.nextIntBetween(5, 40);
      push(seconds, DENIED, leg.boardStop, routeIndex, vehicleTrip, device, 0, fare, 0);
    }

    const transfer = tapSeconds - lastPaid <= fares.transferWindowSeconds;
    let amount = 0;
    let wasCapped = false;
    if (!transfer) {
      lastPaid = tapSeconds;
      if (!pass) {
        amount = Math.min(fare, cap - paid);
        wasCapped = amount < fare;
        paid += amount;
      }
    }
    if (transfer) transfers++;
    capped ||= wasCapped;
    charge(amount);
    const flags = (wasCapped ? TAP_CAPPED : 0) | (transfer ? TAP_TRANSFER : 0);
    push(tapSeconds, TAP_ON, leg.boardStop, routeIndex, vehicleTrip, device, amount, fare, flags);

    if (rng.chance(noise.duplicateTapRate)) {
      const seconds = tapSeconds + rng.nextIntBetween(2, 59);
      push(seconds, TAP_ON, leg.boardStop, routeIndex, vehicleTrip, device, 0, fare, 0);
    }

    if (route.tapOff && !rng.chance(noise.missingTapOffRate)) {
      const exit = ctx.stops[leg.alightStop];
      const zones = Math.abs(exit.fareZone - stop.fareZone);
      const supplement = Math.round(
        (zones * fares.railZoneSupplementCents * fare) / Math.max(fares.baseCents, 1),
      );
      const due = pass ? 0 : Math.min(supplement, cap - paid);
      paid += due;
      const supplementCapped = !pass && due < supplement;
      capped ||= supplementCapped;
      charge(due);
      const seconds = Math.floor(leg.alightSeconds) + rng.nextIntBetween(5, 90);
      const exitStop = leg.alightStop;
      const flags = supplementCapped ? TAP_CAPPED : 0;
      push(seconds, TAP_OFF, exitStop, trip.routeIndex, -1, exitStop, due, supplement, flags);
    }
  }
  return { boardings: legs.length, transfers, capped };
}
