import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { PublicDataService } from './public-data.service.js';

describe('PublicDataService', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-public-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists public axis values once each, in natural order (route 9 before 10)', () => {
    writeFileSync(
      join(dir, 'routes.txt'),
      'route_id,route_short_name\n10,10\n9,9\nR10,R10\n101,101\nR9,R9\n9,9 again\nRED,Red\n2,2\n',
    );
    const service = new PublicDataService(
      Object.assign(new CoordinatorConfig(), { PUBLIC_DATA_DIR: dir }),
    );
    expect(service.values('gtfs-routes')).toEqual(['2', '9', '10', '101', 'R9', 'R10', 'RED']);
  });
});
