import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { summariseProfiles } from './cpu-profile-summary.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

describe('summariseProfiles', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sums self time per function inside the window only, leaving idle out', () => {
    dir = mkdtempSync(join(tmpdir(), 'concord-profile-spec-'));
    writeFileSync(
      join(dir, 'CPU.1.cpuprofile'),
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame('(idle)') },
          { id: 2, callFrame: frame('combineSmall', 'file:///x/libs/field/field-vector.js', 265) },
          { id: 3, callFrame: frame('main', 'file:///x/apps/coordinator/src/main.js', 0) },
        ],
        startTime: 1_000,
        // Sample clocks: 2000 (before the window), 3000, 4000, 5000, 9000 (after).
        samples: [2, 2, 1, 3, 2],
        timeDeltas: [1_000, 1_000, 1_000, 1_000, 4_000],
      }),
    );
    const [p] = summariseProfiles(dir, 5, { startUs: 2_500, endUs: 6_000 });
    expect(p.role).toBe('coordinator');
    expect(p.busyMs).toBe(2);
    expect(p.top).toEqual([
      { frame: 'combineSmall field-vector.js:266', selfMs: 1, share: 0.5 },
      { frame: 'main main.js:1', selfMs: 1, share: 0.5 },
    ]);
  });
});
