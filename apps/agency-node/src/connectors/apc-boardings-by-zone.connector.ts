import { basename } from 'node:path';
import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireFiles } from './connector-files.js';
import { countField, readCsv } from './csv-rows.js';

/**
 * Transit authority: boardings by census zone. Automatic passenger counts (GTFS-ride
 * `board_alight.txt`, rows with record_use 0 on the service date) are summed per stop, each
 * stop's day clipped to the declared cell range (a faulty counter cannot exceed what a whole zone
 * may hold), then summed per zone through the stop→zone crosswalk (`stop_zone.csv`: stop_id,
 * GEOID), which city planning publishes. Stops without a crosswalk row, or mapped to a zone not
 * on the published grid, are dropped; zone sums are clipped to the declared range.
 *
 * APC counts are not linked to riders, so the per-person contribution bound of this input is
 * declared rather than enforced.
 */
export const apcBoardingsByZone: Connector = async ({ plan, input, files }) => {
  const { boardAlight, stopZones } = requireFiles('apc-boardings-by-zone', files, [
    'boardAlight',
    'stopZones',
  ]);
  const zoneOfStop = await readCrosswalk(stopZones);

  const date = gtfsDate(plan.parameters.serviceDate);
  const file = basename(boardAlight);
  const perStop = new Map<string, number>();
  const rowsOfStop = new Map<string, number>();
  let rowsRead = 0;
  for await (const row of readCsv(boardAlight, [
    'stop_id',
    'record_use',
    'boardings',
    'service_date',
  ])) {
    rowsRead++;
    if (row.get('record_use').trim() !== '0' || row.get('service_date').trim() !== date) continue;
    const boardings = countField(row, file, 'boardings');
    const stop = row.get('stop_id').trim();
    if (stop.length === 0) throw new ConnectorError(file, row.line, 'stop_id', 'empty stop_id');
    perStop.set(stop, (perStop.get(stop) ?? 0) + boardings);
    rowsOfStop.set(stop, (rowsOfStop.get(stop) ?? 0) + 1);
  }

  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  let rowsUsed = 0;
  let cellsClipped = 0;
  for (const [stop, count] of perStop) {
    const zone = zoneOfStop.get(stop);
    const i = zone === undefined ? -1 : cell([zone]);
    if (i < 0) continue;
    const clipped = Math.min(Math.max(count, input.cell.min), input.cell.max);
    if (clipped !== count) cellsClipped++;
    values[i] += clipped;
    rowsUsed += rowsOfStop.get(stop) ?? 0;
  }
  cellsClipped += clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};

/** The published stop→zone crosswalk; a stop mapped twice is ambiguous, hence an error. */
export async function readCrosswalk(path: string): Promise<Map<string, string>> {
  const file = basename(path);
  const zoneOfStop = new Map<string, string>();
  for await (const row of readCsv(path, ['stop_id', 'GEOID'])) {
    const stop = row.get('stop_id').trim();
    const zone = row.get('GEOID').trim();
    if (stop.length === 0) throw new ConnectorError(file, row.line, 'stop_id', 'empty stop_id');
    if (zone.length === 0) throw new ConnectorError(file, row.line, 'GEOID', 'empty GEOID');
    if (zoneOfStop.has(stop))
      throw new ConnectorError(file, row.line, 'stop_id', 'stop mapped to a zone twice');
    zoneOfStop.set(stop, zone);
  }
  return zoneOfStop;
}
