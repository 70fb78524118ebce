import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { type InProcessParty, outputValues, runSessionInProcess } from '#concord/engine';
import { compileSessionPlan, planAxisValues, planHash } from '#concord/protocol';
import { PARTY_OF_ROLE, testIdentities } from './support/parties.js';
import {
  datasetArb,
  outputsByConnectors,
  outputsByOracle,
  revenuePlan,
  ROUTES,
  SERVICE_DATE,
} from './support/rider-datasets.js';
import { partyNoise } from './support/release-transcript.js';

// T20 zero-cell completeness (docs/privacy.md): a release contains every key of the public
// grid — every (route, hour) of the published GTFS routes, zeros included — for every dataset:
// the number of released cells is fixed by the plan, which is compiled from public data only,
// before any data is read. (The Opal lesson: unperturbed, suppressed or missing zero cells leak.)
//
// CI: 1 000 random datasets through the exact oracle, 50 through the real connectors, 3 full
// in-process releases. Full suite: 10^3 through the connectors and 50 releases.

const FULL = process.env.CONCORD_STATISTICAL_SUITE === 'full';
const { entry, plan } = revenuePlan();
const declaredBoardings = plan.inputs[0].contribution!.total;
const grid = ROUTES.length * 24;
const keys = (() => {
  const [route, hour] = plan.axes.map(planAxisValues);
  return route.flatMap((r) => hour.map((h) => `${r}/${h}`));
})();

describe('T20 zero-cell completeness', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-t20-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fixes every output at the whole public grid, from the request alone', () => {
    expect(keys).toHaveLength(grid);
    expect(new Set(keys).size).toBe(grid);
    for (const o of plan.outputs) {
      expect(o.axes).toEqual(['route', 'hour']);
      expect(o.length).toBe(grid);
    }
    // Compiling again (no data involved) gives the same plan: nothing in it depends on data.
    const again = compileSessionPlan(entry.analysis, {
      sessionId: plan.sessionId,
      parameters: { serviceDate: SERVICE_DATE },
      axisValues: { route: [...ROUTES] },
      budget: '1/2',
      parties: PARTY_OF_ROLE,
    });
    expect(planHash(again)).toBe(planHash(plan));
  });

  it('every dataset yields exactly the grid’s cells, zeros included (exact oracle)', () => {
    let zeroCells = 0;
    let emptyDatasets = 0;
    fc.assert(
      fc.property(datasetArb(declaredBoardings), (d) => {
        const outputs = outputsByOracle(plan, d);
        expect(outputs.map((o) => o.length)).toEqual([grid, grid]);
        zeroCells += outputs.flat().filter((v) => v === 0n).length;
        if (outputs.flat().every((v) => v === 0n)) emptyDatasets++;
      }),
      { numRuns: 1_000, seed: 20 },
    );
    // Sparse and empty data occurred: their zero cells are still there.
    expect(zeroCells).toBeGreaterThan(0);
    expect(emptyDatasets).toBeGreaterThan(0);
  });

  it(
    'every dataset yields exactly the grid’s cells through the real connectors',
    async () => {
      await fc.assert(
        fc.asyncProperty(datasetArb(declaredBoardings), async (d) => {
          const outputs = await outputsByConnectors(plan, d, dir);
          expect(outputs.map((o) => o.length)).toEqual([grid, grid]);
        }),
        { numRuns: FULL ? 1_000 : 50, seed: 2020 },
      );
    },
    FULL ? 3_600_000 : 60_000,
  );

  it(
    'a release opens every cell with noise, also where the data are all zero',
    () => {
      const identities = testIdentities('t20');
      const samples = fc.sample(datasetArb(declaredBoardings), {
        numRuns: FULL ? 50 : 3,
        seed: 200,
      });
      const datasets = [{ riders: [], counts: [] }, ...samples];
      datasets.forEach((d, k) => {
        const [boardings, revenue] = outputsByOracle(plan, d);
        const noise = [1, 2, 3].map((p) => partyNoise(plan, `t20/noise/${k}/${p}`));
        const parties = ([1, 2, 3] as const).map((p): InProcessParty => ({
          identity: identities[p - 1],
          inputs: new Map(
            p === 1
              ? [['boardings', boardings.map(Number)]]
              : p === 2
                ? [['revenue', revenue.map(Number)]]
                : [],
          ),
          noise: noise[p - 1],
          rng: seededRandom(`t20/party/${k}/${p}`),
        })) as [InProcessParty, InProcessParty, InProcessParty];
        const run = runSessionInProcess(plan, parties);
        expect(run.errors.size).toBe(0);
        const released = run.results[0].outputs.map(outputValues);
        expect(released.map((o) => o.length)).toEqual([grid, grid]);
        [boardings, revenue].forEach((exact, i) =>
          exact.forEach((v, c) =>
            expect(released[i][c]).toBe(v + noise[0][i][c] + noise[1][i][c] + noise[2][i][c]),
          ),
        );
      });
    },
    FULL ? 3_600_000 : 60_000,
  );
});
