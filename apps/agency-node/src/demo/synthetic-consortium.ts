import { join } from 'node:path';
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
  const at = (agency: string, file: string): string => join(cityDir, agency, file);
  const consortium = createLocalConsortium({
    dir: options.dir,
    coordinatorUrl: options.coordinatorUrl,
    protocolsDir: options.protocolsDir,
    ledgerCapRho: options.ledgerCapRho,
    data: {
      transit: {
        'apc-boardings-by-route-hour': {
          trips: at('transit', 'trips.txt'),
          boardAlight: at('transit', 'board_alight.txt'),
        },
      },
      payments: {
        'fare-revenue-by-route-hour': { fareTransactions: at('payments', 'fare_transactions.csv') },
      },
      planning: {},
    },
  });
  const d = city.serviceDate;
  return {
    city,
    consortium,
    serviceDate: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
    publicDataDir: join(cityDir, 'public'),
  };
}
