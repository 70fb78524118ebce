import { apcBoardingsByRouteHour } from './apc-boardings.connector.js';
import type { Connector } from './connector.js';
import { fareRevenueByRouteHour } from './fare-revenue.connector.js';

/** Every connector a node can run, by the name protocols use in `inputs[].connector`. */
export const CONNECTORS: Readonly<Record<string, Connector>> = {
  'apc-boardings-by-route-hour': apcBoardingsByRouteHour,
  'fare-revenue-by-route-hour': fareRevenueByRouteHour,
};
