import { basename } from 'node:path';
import { planServiceDates } from '#concord/protocol';
import { hourOfField, scanCountedBoardings } from './board-alight-rows.js';
import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { fieldText, scanCsv } from './csv-byte-rows.js';
import { TokenTable } from './token-table.js';

const HOURS = 24;

/**
 * Transit authority: boardings counted by automatic passenger counters (GTFS-ride
 * `board_alight.txt`, rows with record_use 0 on the plan's service dates: one day, or every day
 * of a window), by the trip's route (GTFS
 * `trips.txt`) and the hour of arrival at the stop.
 *
 * APC counts are not linked to riders, so the per-rider contribution bound of this input is
 * declared rather than enforced; cells are clipped to the declared range.
 */
export const apcBoardingsByRouteHour: Connector = async ({ plan, input, files }) => {
  const trips = files.trips;
  const counts = files.boardAlight;
  if (!trips || !counts)
    throw new ConnectorError(
      'node configuration',
      undefined,
      undefined,
      'needs files "trips" and "boardAlight"',
    );
  const routes = await readTripRoutes(trips);

  const planned = planServiceDates(plan);
  const dates = [
    ...new Set((planned.length > 0 ? planned : [plan.parameters.serviceDate]).map(gtfsDate)),
  ];
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const file = basename(counts);
  // Each trip's cell by hour, found on first use (-2: not yet looked up; -1: off the grid).
  const cells = new Int32Array(routes.routeOf.length * HOURS).fill(-2);
  let rowsUsed = 0;
  const required = ['trip_id', 'record_use', 'boardings', 'service_date', 'service_arrival_time'];
  const rowsRead = await scanCountedBoardings(counts, dates, required, (r, column, boardings) => {
    const hour = hourOfField(r, column.service_arrival_time, file, 'service_arrival_time');
    const trip = routes.trips.find(r.bytes, r.starts[column.trip_id], r.ends[column.trip_id]);
    if (trip < 0) return;
    const at = trip * HOURS + hour;
    if (cells[at] === -2) cells[at] = cell([routes.routeOf[trip], String(hour)]);
    if (cells[at] < 0) return;
    values[cells[at]] += boardings;
    rowsUsed++;
  });
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

/**
 * GTFS `trips.txt`: each trip's route, the trip keyed by its bytes as the file has them
 * (untrimmed; a trip listed twice takes its last route).
 */
async function readTripRoutes(
  path: string,
): Promise<{ readonly trips: TokenTable; readonly routeOf: string[] }> {
  const trips = new TokenTable();
  const routeOf: string[] = [];
  let trip = -1;
  let route = -1;
  await scanCsv(
    path,
    ['trip_id', 'route_id'],
    (columns) => {
      trip = columns.get('trip_id')!;
      route = columns.get('route_id')!;
    },
    (r) => {
      routeOf[trips.id(r.bytes, r.starts[trip], r.ends[trip])] = fieldText(r, route);
    },
  );
  return { trips, routeOf };
}
