import { join } from 'node:path';
import type { AgencyRole } from '#concord/consortium';
import { type City, generateCity, type ScaleName, writeCity } from '#concord/synth';
import { createLocalConsortium, type LocalConsortium } from './local-consortium.js';

export interface SyntheticConsortium {
  readonly city: City;
  readonly consortium: LocalConsortium;
  /** The city's service day as a protocol parameter (YYYY-MM-DD). */
  readonly serviceDate: string;
  readonly publicDataDir: string;
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
}): SyntheticConsortium {
  const city = generateCity({ seed: options.seed, scale: options.scale });
  const cityDir = join(options.dir, 'city');
  writeCity(city, cityDir);
  const consortium = createLocalConsortium({
    dir: options.dir,
    coordinatorUrl: options.coordinatorUrl,
    protocolsDir: options.protocolsDir,
    ledgerCapRho: options.ledgerCapRho,
    data: syntheticConnectorData(cityDir),
  });
  const d = city.serviceDate;
  return {
    city,
    consortium,
    serviceDate: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
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
