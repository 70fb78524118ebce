import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pointNodeAt } from './point-node-at.js';

describe('pointNodeAt', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites only the coordinator URL of a kept node configuration, atomically', () => {
    dir = mkdtempSync(join(tmpdir(), 'point-node-'));
    const file = join(dir, 'transit.node.json');
    const config = {
      agencyId: 'metro-transit',
      coordinatorUrl: 'http://127.0.0.1:3000',
      ledger: { capRho: '4' },
    };
    writeFileSync(file, JSON.stringify(config));
    pointNodeAt(file, 'http://127.0.0.1:41411');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      ...config,
      coordinatorUrl: 'http://127.0.0.1:41411',
    });
    expect(readdirSync(dir)).toEqual(['transit.node.json']);

    // Already pointing there: the file is left as it is (not even reformatted).
    const compact = JSON.stringify({ ...config, coordinatorUrl: 'http://127.0.0.1:41411' });
    writeFileSync(file, compact);
    pointNodeAt(file, 'http://127.0.0.1:41411');
    expect(readFileSync(file, 'utf8')).toBe(compact);
  });
});
