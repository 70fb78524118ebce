import { basename } from 'node:path';
import { planServiceDates } from '#concord/protocol';
import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { countField, hourOfTime, readCsv } from './csv-rows.js';

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
  const routeOfTrip = new Map<string, string>();
  for await (const row of readCsv(trips, ['trip_id', 'route_id']))
    routeOfTrip.set(row.get('trip_id'), row.get('route_id'));

  const planned = planServiceDates(plan);
  const dates = new Set(
    (planned.length > 0 ? planned : [plan.parameters.serviceDate]).map(gtfsDate),
  );
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const file = basename(counts);
  let rowsRead = 0;
  let rowsUsed = 0;
  const required = ['trip_id', 'record_use', 'boardings', 'service_date', 'service_arrival_time'];
  for await (const row of readCsv(counts, required)) {
    rowsRead++;
    if (row.get('record_use').trim() !== '0' || !dates.has(row.get('service_date').trim()))
      continue;
    const boardings = countField(row, file, 'boardings');
    const hour = hourOfTime(row, file, 'service_arrival_time');
    const route = routeOfTrip.get(row.get('trip_id'));
    const i = route === undefined ? -1 : cell([route, String(hour)]);
    if (i < 0) continue;
    values[i] += boardings;
    rowsUsed++;
  }
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};
