import { apcBoardingsByZone } from './apc-boardings-by-zone.connector.js';
import { apcBoardingsByRouteHour } from './apc-boardings.connector.js';
import { cardSavingsByZone, cardSpendByZone } from './card-fare-capping.connectors.js';
import { cardOdFlowsByZonePair } from './card-od-flows.connector.js';
import { cardTokens } from './card-tokens.connector.js';
import {
  cardSpendByProduct,
  cardSpendByRoute,
  cardTripsByProduct,
  cardTripsByRoute,
} from './card-trips-and-spend.connectors.js';
import type { Connector } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { fareRevenueByRouteHour } from './fare-revenue.connector.js';
import { populationByZone } from './population-by-zone.connector.js';
import { readFromPostgres } from './postgres.connector.js';
import { readTokensFromPostgres } from './postgres-token-list.connector.js';
import {
  stopEquityCoverage,
  stopLowIncomeIndicator,
  stopMinorityIndicator,
} from './stop-equity.connector.js';
import { reducedFareEnrolment } from './reduced-fare-enrolment.connector.js';
import { seededVector } from './seeded-vector.connector.js';
import { tapsByStopProduct } from './taps-by-stop-product.connector.js';
import type { TokenListConnector } from './token-list-connector.js';
import { transfersByRoutePair } from './transfers-by-route-pair.connector.js';

/** The file readers, in the real schemas (GTFS, GTFS-ride, TIDES, ACS), by connector name. */
const FILE_CONNECTORS: Readonly<Record<string, Connector>> = {
  'apc-boardings-by-route-hour': apcBoardingsByRouteHour,
  'apc-boardings-by-zone': apcBoardingsByZone,
  'fare-revenue-by-route-hour': fareRevenueByRouteHour,
  'population-by-zone': populationByZone,
  'stop-equity-coverage': stopEquityCoverage,
  'stop-low-income-indicator': stopLowIncomeIndicator,
  'stop-minority-indicator': stopMinorityIndicator,
  'taps-by-stop-product': tapsByStopProduct,
  'transfers-by-route-pair': transfersByRoutePair,
  /** Benchmark workloads only (npm run bench): seeded uniform vectors. */
  'seeded-vector': seededVector,
};

/**
 * Every connector a node can run, by the name protocols use in `inputs[].connector`. Each reads
 * the agency's files by default; with `"source": "postgresql"` in its node configuration it reads
 * the same input from the agency's own database instead (`postgres.connector.ts`).
 */
export const CONNECTORS: Readonly<Record<string, Connector>> = {
  ...Object.fromEntries(
    Object.entries(FILE_CONNECTORS).map(([name, fromFiles]) => [
      name,
      bySource(fromFiles, readFromPostgres),
    ]),
  ),
  // A join protocol's per-card inputs, rows in the order of the join's card list (files only).
  'card-trips-by-route': cardTripsByRoute,
  'card-trips-by-product': cardTripsByProduct,
  'card-spend-by-route': cardSpendByRoute,
  'card-spend-by-product': cardSpendByProduct,
  'card-spend-by-zone': cardSpendByZone,
  'card-savings-by-zone': cardSavingsByZone,
  'card-od-flows-by-zone-pair': cardOdFlowsByZonePair,
};

/**
 * The token lists a private join reads (`join.tapHolder` / `join.enrolmentHolder`). The
 * enrolment list may come from the agency's database (`"source": "postgresql"`); the processor's
 * cards come from the same fare file as its per-card rows, so they stay files only.
 */
export const TOKEN_CONNECTORS: Readonly<Record<string, TokenListConnector>> = {
  'card-tokens': cardTokens,
  'reduced-fare-enrolment': bySource(reducedFareEnrolment, readTokensFromPostgres),
};

/**
 * A connector that reads the agency's files, or its database when the connector's node
 * configuration says `"source": "postgresql"`.
 */
function bySource<X extends { readonly files: Readonly<Record<string, string>> }, R>(
  fromFiles: (context: X) => Promise<R>,
  fromDatabase: (context: X) => Promise<R>,
): (context: X) => Promise<R> {
  return (context) => {
    const source = context.files.source ?? 'files';
    if (source === 'postgresql') return fromDatabase(context);
    if (source === 'files') return fromFiles(context);
    return Promise.reject(
      new ConnectorError(
        'node configuration',
        undefined,
        undefined,
        `unknown data source "${source.slice(0, 40)}" (files or postgresql)`,
      ),
    );
  };
}
