import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareAxisValues } from '#concord/protocol';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { CoordinatorError } from '../common/coordinator-error.js';

/** Public reference data sets the grids are built from: file and key column of each. */
const SOURCES: Readonly<Record<string, { readonly file: string; readonly column: string }>> = {
  'gtfs-routes': { file: 'routes.txt', column: 'route_id' },
  'gtfs-stops': { file: 'stops.txt', column: 'stop_id' },
  'fare-products': { file: 'fare_products.txt', column: 'fare_product_id' },
  zones: { file: 'zones.csv', column: 'GEOID' },
};

/**
 * Reads the public reference data (published GTFS, fare tables, census geographies) in
 * PUBLIC_DATA_DIR. Grid values are public: every cell of the grid is released, zeros included,
 * so the grid never depends on private data. Values are listed in natural order.
 */
@Injectable()
export class PublicDataService {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly config: CoordinatorConfig) {}

  values(source: string): string[] {
    const cached = this.cache.get(source);
    if (cached) return cached;
    const spec = SOURCES[source];
    const path = spec && join(this.config.PUBLIC_DATA_DIR, spec.file);
    if (!spec || !existsSync(path)) {
      throw new CoordinatorError(
        'invalid-request',
        `public reference data ${source} is not available`,
      );
    }
    const rows = parse<Record<string, string>>(readFileSync(path), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
    });
    const values = [
      ...new Set(
        rows.map((r) => r[spec.column]).filter((v) => typeof v === 'string' && v.length > 0),
      ),
      // Natural order (route 9 before 10): the order of the report's cells, charts and tables.
    ].sort(compareAxisValues);
    this.cache.set(source, values);
    return values;
  }
}
