import {
  type FareTransactionRecord,
  type RouteRecord,
  type StopRecord,
  type TripRecord,
} from './city-records.js';
import { isPassProduct, singleFareCents } from './fare-catalogue.js';
import { type TimedLeg } from './journey-timing.js';
import { type FareParams, type NoiseParams } from './params.js';
import { type Prng } from './prng.js';
import { type Rider } from './riders.js';

/** A fare transaction before the day's rows are ordered and numbered (id and time filled then). */
export interface TapDraft {
  row: FareTransactionRecord;
  seconds: number;
  /** Reported late by an offline device: written after the day's ordered rows. */
  offline: boolean;
}

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
  out: TapDraft[],
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

  const push = (
    seconds: number,
    fields: Pick<
      FareTransactionRecord,
      | 'fareAction'
      | 'stopId'
      | 'routeId'
      | 'vehicleId'
      | 'deviceId'
      | 'amountCents'
      | 'nominalAmountCents'
      | 'fareCapped'
      | 'transferFlag'
    >,
  ): void => {
    out.push({
      row: {
        transactionId: '',
        serviceDate: ctx.serviceDate,
        eventTimestamp: '',
        tokenId: rider.tokenId,
        fareAction: fields.fareAction,
        stopId: fields.stopId,
        routeId: fields.routeId,
        vehicleId: fields.vehicleId,
        deviceId: fields.deviceId,
        amountCents: fields.amountCents,
        nominalAmountCents: fields.nominalAmountCents,
        fareProduct: rider.product,
        riderCategory: rider.category,
        fareMedia: rider.media,
        fareCapped: fields.fareCapped,
        transferFlag: fields.transferFlag,
        balanceCents: balance,
      },
      seconds,
      offline: rng.chance(noise.offlineRecordRate),
    });
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
    const vehicleId = rail ? '' : trip.vehicleId;
    const deviceId = rail ? `${stop.stopId}-V1` : `${trip.vehicleId}-FB1`;
    const tapSeconds = Math.floor(leg.boardSeconds) + rng.nextInt(20);
    const routeId = !rail && rng.chance(noise.misKeyedRouteRate) ? UNKNOWN_ROUTE_ID : route.routeId;

    if (rng.chance(noise.deniedTapRate)) {
      push(tapSeconds - rng.nextIntBetween(5, 40), {
        fareAction: 'denied',
        stopId: stop.stopId,
        routeId,
        vehicleId,
        deviceId,
        amountCents: 0,
        nominalAmountCents: fare,
        fareCapped: false,
        transferFlag: false,
      });
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
    push(tapSeconds, {
      fareAction: 'tap-on',
      stopId: stop.stopId,
      routeId,
      vehicleId,
      deviceId,
      amountCents: amount,
      nominalAmountCents: fare,
      fareCapped: wasCapped,
      transferFlag: transfer,
    });

    if (rng.chance(noise.duplicateTapRate)) {
      push(tapSeconds + rng.nextIntBetween(2, 59), {
        fareAction: 'tap-on',
        stopId: stop.stopId,
        routeId,
        vehicleId,
        deviceId,
        amountCents: 0,
        nominalAmountCents: fare,
        fareCapped: false,
        transferFlag: false,
      });
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
      push(Math.floor(leg.alightSeconds) + rng.nextIntBetween(5, 90), {
        fareAction: 'tap-off',
        stopId: exit.stopId,
        routeId: route.routeId,
        vehicleId: '',
        deviceId: `${exit.stopId}-V1`,
        amountCents: due,
        nominalAmountCents: supplement,
        fareCapped: supplementCapped,
        transferFlag: false,
      });
    }
  }
  return { boardings: legs.length, transfers, capped };
}
