import { basename } from 'node:path';
import { type Connector, clipCells, gridIndex } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireFiles } from './connector-files.js';
import { countField, readCsv } from './csv-rows.js';

/**
 * City planning: population per census zone, ACS `B01003_001E` by `GEOID` from planning's
 * `zones.csv`. Zones not on the published grid are dropped, each zone's count is clipped to the
 * declared range. A person lives in one zone: the contribution bound (one person, one cell) is
 * declared, not enforced, since the table holds no individuals.
 */
export const populationByZone: Connector = async ({ plan, input, files }) => {
  const { zones } = requireFiles('population-by-zone', files, ['zones']);
  const file = basename(zones);
  const cell = gridIndex(plan, input.axes);
  const values = new Float64Array(input.length);
  const seen = new Set<string>();
  let rowsRead = 0;
  let rowsUsed = 0;
  for await (const row of readCsv(zones, ['GEOID', 'B01003_001E'])) {
    rowsRead++;
    const zone = row.get('GEOID').trim();
    if (zone.length === 0) throw new ConnectorError(file, row.line, 'GEOID', 'empty GEOID');
    if (seen.has(zone)) throw new ConnectorError(file, row.line, 'GEOID', 'zone listed twice');
    seen.add(zone);
    const population = countField(row, file, 'B01003_001E');
    const i = cell([zone]);
    if (i < 0) continue;
    values[i] = population;
    rowsUsed++;
  }
  const cellsClipped = clipCells(values, input);
  return { values, report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped } };
};
