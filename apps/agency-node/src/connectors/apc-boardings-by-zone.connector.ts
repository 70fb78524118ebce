import { basename } from 'node:path';
import { type Connector, clipCells, gridIndex, gtfsDate } from './connector.js';
import { scanCountedBoardings } from './board-alight-rows.js';
import { ConnectorError } from './connector-error.js';
import { requireFiles } from './connector-files.js';
import { isTrimmedText, trimmed } from './csv-byte-fields.js';
import { fieldText } from './csv-byte-rows.js';
import { readStopZones } from './stop-zone-crosswalk.js';
import { TokenTable } from './token-table.js';

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
  const zoneOfStop = await readStopZones(stopZones);

  const date = gtfsDate(plan.parameters.serviceDate);
  const file = basename(boardAlight);
  // Stops by their trimmed bytes, numbered in order of first appearance.
  const stops = new TokenTable();
  const stopName: string[] = [];
  const perStop: number[] = [];
  const rowsOfStop: number[] = [];
  const required = ['stop_id', 'record_use', 'boardings', 'service_date'];
  const rowsRead = await scanCountedBoardings(
    boardAlight,
    [date],
    required,
    (r, column, boardings) => {
      let [from, to] = trimmed(r, column.stop_id);
      let bytes = r.bytes;
      if (!isTrimmedText(r, from, to)) {
        bytes = Buffer.from(fieldText(r, column.stop_id).trim(), 'utf8');
        [from, to] = [0, bytes.length];
      }
      if (to === from) throw new ConnectorError(file, r.line, 'stop_id', 'empty stop_id');
      const stop = stops.id(bytes, from, to);
      if (stop === stopName.length) {
        stopName.push(bytes.toString('utf8', from, to));
        perStop.push(0);
        rowsOfStop.push(0);
      }
      perStop[stop] += boardings;
      rowsOfStop[stop]++;
    },
  );

  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  let rowsUsed = 0;
  let cellsClipped = 0;
  perStop.forEach((count, stop) => {
    const zone = zoneOfStop.get(stopName[stop]);
    const i = zone === undefined ? -1 : cell([zone]);
    if (i < 0) return;
    const clipped = Math.min(Math.max(count, input.cell.min), input.cell.max);
    if (clipped !== count) cellsClipped++;
    values[i] += clipped;
    rowsUsed += rowsOfStop[stop];
  });
  cellsClipped += clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};
