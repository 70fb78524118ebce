import { join } from 'node:path';
import type { AgencyRole } from '#concord/consortium';
import { type City, generateCity, type ScaleName, writeCity } from '#concord/synth';
import { createLocalConsortium, type LocalConsortium } from './local-consortium.js';
import { isoDate } from '../connectors/connector.js';

export interface SyntheticConsortium {
  readonly city: City;
  readonly consortium: LocalConsortium;
  /**
   * The city's service day as a protocol parameter (YYYY-MM-DD); on the small city also the
   * first of the 30 days its fare and APC files cover (`syntheticServiceDays`).
   */
  readonly serviceDate: string;
  readonly publicDataDir: string;
}

/**
 * Service days the fare processor's and the APC files cover in a synthetic consortium, from the
 * city's service day: 30 on the small city (about 0.3 s to simulate), so that
 * `reduced-fare-capping` (a service-week protocol) and `revenue-per-boarding-30-days` run there;
 * one day on larger cities, where every further day costs seconds to simulate (a minute for the
 * medium city's thirty): the capping protocol's per-card grid is refused there anyway
 * (`plan-too-large`), the 30-day one lacks its days (`no-data-for-date`). Every daily protocol
 * reads its one day either way.
 */
export function syntheticServiceDays(scale: ScaleName): number {
  return scale === 'small' ? 30 : 1;
}

/**
 * Whether a 422 refusal of a catalogue request on a synthetic city is one the demo prints and
 * goes on from: the grid does not fit (`plan-too-large`), or a day of the window is not in the
 * data (`no-data-for-date`); neither charged anything.
 */
export function isRefusalBeforeCharge(code: string | undefined): boolean {
  return code === 'plan-too-large' || code === 'no-data-for-date';
}

/**
 * Generates a seeded synthetic city, writes each agency's files in its real schema, and sets up
 * the three agencies (keys, consortium file, node configurations pointing at those files).
 */
export function createSyntheticConsortium(options: {
  readonly dir: string;
  readonly seed: number | string;
  readonly scale: ScaleName;
  readonly coordinatorUrl: string;
  readonly protocolsDir: string;
  readonly ledgerCapRho?: string;
  /** More node configuration, merged into every node's file. */
  readonly nodeConfig?: Readonly<Record<string, unknown>>;
}): SyntheticConsortium {
  const city = generateCity({
    seed: options.seed,
    scale: options.scale,
    fareDays: syntheticServiceDays(options.scale),
    apcDays: syntheticServiceDays(options.scale),
  });
  const cityDir = join(options.dir, 'city');
  writeCity(city, cityDir);
  const consortium = createLocalConsortium({
    dir: options.dir,
    coordinatorUrl: options.coordinatorUrl,
    protocolsDir: options.protocolsDir,
    ledgerCapRho: options.ledgerCapRho,
    data: syntheticConnectorData(cityDir),
    ...(options.nodeConfig ? { nodeConfig: options.nodeConfig } : {}),
  });
  const d = city.serviceDate;
  return {
    city,
    consortium,
    serviceDate: isoDate(d),
    publicDataDir: join(cityDir, 'public'),
  };
}

/**
 * Every catalogue connector's files in a synthetic city written by `writeCity` to `cityDir`, per
 * agency role, as node configurations name them. Public files (the stop→zone crosswalk) are read
 * from the city's `public/` folder, as an agency would download them.
 */
export function syntheticConnectorData(
  cityDir: string,
): Record<AgencyRole, Record<string, Record<string, string>>> {
  const at = (folder: string, file: string): string => join(cityDir, folder, file);
  const fareTransactions = at('payments', 'fare_transactions.csv');
  const stopEquity = at('planning', 'stop_equity.csv');
  const stopZones = at('public', 'stop_zone.csv');
  return {
    transit: {
      'apc-boardings-by-route-hour': {
        trips: at('transit', 'trips.txt'),
        boardAlight: at('transit', 'board_alight.txt'),
      },
      'apc-boardings-by-zone': {
        boardAlight: at('transit', 'board_alight.txt'),
        stopZones,
      },
    },
    payments: {
      'fare-revenue-by-route-hour': { fareTransactions },
      'taps-by-stop-product': { fareTransactions },
      'transfers-by-route-pair': { fareTransactions },
      'card-tokens': { fareTransactions },
      'card-trips-by-route': { fareTransactions },
      'card-trips-by-product': { fareTransactions },
      'card-spend-by-route': { fareTransactions },
      'card-spend-by-product': { fareTransactions },
      'card-spend-by-zone': { fareTransactions, stopZones },
      'card-savings-by-zone': { fareTransactions, stopZones },
      'card-od-flows-by-zone-pair': { fareTransactions, stopZones },
    },
    planning: {
      'population-by-zone': { zones: at('planning', 'zones.csv') },
      'stop-equity-coverage': { stopEquity },
      'stop-low-income-indicator': { stopEquity },
      'stop-minority-indicator': { stopEquity },
      'reduced-fare-enrolment': { enrolment: at('planning', 'enrolment.csv') },
    },
  };
}
