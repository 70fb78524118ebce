import { basename } from 'node:path';
import { type Connector, clipCells, gridIndex } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { requireFiles } from './connector-files.js';
import { type CsvRow, readCsv } from './csv-rows.js';

type Indicator = 'classified' | 'low_income' | 'minority';

/**
 * City planning: a 0/1 indicator per stop from its private `stop_equity.csv` (stop_id,
 * low_income, minority), for the Title VI fare equity analysis. `classified` is 1 for every stop
 * the table classifies (has a row), so that "all taps" covers exactly the stops that can fall in
 * a group; `low_income` and `minority` copy the table's flags. Stops without a row are 0 in all
 * three; rows of stops missing from the published grid are dropped. Every row is validated, both
 * flags included, whichever indicator is read.
 */
function stopEquityIndicator(indicator: Indicator, name: string): Connector {
  return async ({ plan, input, files }) => {
    const { stopEquity } = requireFiles(name, files, ['stopEquity']);
    const file = basename(stopEquity);
    const cell = gridIndex(plan, input.axes);
    const values = new Float64Array(input.length);
    const seen = new Set<string>();
    let rowsRead = 0;
    let rowsUsed = 0;
    for await (const row of readCsv(stopEquity, ['stop_id', 'low_income', 'minority'])) {
      rowsRead++;
      const stop = row.get('stop_id').trim();
      if (stop.length === 0) throw new ConnectorError(file, row.line, 'stop_id', 'empty stop_id');
      if (seen.has(stop)) throw new ConnectorError(file, row.line, 'stop_id', 'stop listed twice');
      seen.add(stop);
      const flags = {
        low_income: flag(row, file, 'low_income'),
        minority: flag(row, file, 'minority'),
      };
      const i = cell([stop]);
      if (i < 0) continue;
      values[i] = indicator === 'classified' ? 1 : flags[indicator];
      rowsUsed++;
    }
    const cellsClipped = clipCells(values, input);
    return {
      values,
      report: { rowsRead, rowsUsed, rowsDropped: rowsRead - rowsUsed, cellsClipped },
    };
  };
}

function flag(row: CsvRow, file: string, column: string): 0 | 1 {
  const text = row.get(column).trim();
  if (text !== '0' && text !== '1')
    throw new ConnectorError(file, row.line, column, 'expected 0 or 1');
  return text === '1' ? 1 : 0;
}

export const stopEquityCoverage = stopEquityIndicator('classified', 'stop-equity-coverage');
export const stopLowIncomeIndicator = stopEquityIndicator(
  'low_income',
  'stop-low-income-indicator',
);
export const stopMinorityIndicator = stopEquityIndicator('minority', 'stop-minority-indicator');
