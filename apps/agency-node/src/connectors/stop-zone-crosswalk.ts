import { basename } from 'node:path';
import { ConnectorError } from './connector-error.js';
import { readCsv } from './csv-rows.js';

/**
 * The stop→zone crosswalk city planning publishes (`stop_zone.csv`: stop_id, GEOID; a
 * point-in-polygon of public stops against public census tracts), which any agency may hold: the
 * zone-keyed connectors of every party read the public copy. A stop mapped twice is ambiguous,
 * hence an error.
 */
export async function readStopZones(path: string): Promise<Map<string, string>> {
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
