import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Dataset,
  distance,
  neighboursArb,
  outputsByConnectors,
  outputsByOracle,
  revenuePlan,
} from './support/rider-datasets.js';

// T19 sensitivity property test (docs/privacy.md): for random datasets D and a random
// neighbour D′ (one rider's records added or removed at all three agencies), every output of
// revenue-per-boarding moves by at most the sensitivity `analyzeProtocol` derived from the
// protocol's declared caps: ‖f(D) − f(D′)‖₁ ≤ Δ1 and ‖f(D) − f(D′)‖₂² ≤ Δ2², exactly (bigint),
// 0 violations. f is computed twice, independently: by the synthetic city's exact oracle (the
// specification of the bounding) and by the agencies' real connectors reading CSV files.
//
// CI: 2 000 oracle pairs and 150 connector pairs (files on disk). Full suite: 10^4 each.

const FULL = process.env.CONCORD_STATISTICAL_SUITE === 'full';
const { entry, plan } = revenuePlan();
const sensitivity = entry.analysis.outputs.map((o) => ({ name: o.name, ...o.sensitivity }));
// The transit input's declared per-rider cap is what a rider may add to the APC counts.
const declaredBoardings = plan.inputs[0].contribution!.total;

function violations(a: readonly bigint[][], b: readonly bigint[][]): string[] {
  return sensitivity.flatMap((s, i) => {
    const d = distance(a[i], b[i]);
    return d.l1 > s.l1 || d.l2Squared > s.l2Squared
      ? [`${s.name}: L1 ${d.l1} > ${s.l1} or L2² ${d.l2Squared} > ${s.l2Squared}`]
      : [];
  });
}

describe(
  'T19 sensitivity: neighbouring datasets stay within the derived sensitivity',
  { timeout: 60_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-t19-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('derives Δ from the declared caps: boardings Δ1 = 8, Δ2² = 64; revenue Δ1 = 500, Δ2² = 250 000', () => {
      expect(sensitivity).toEqual([
        { name: 'boardings', l1: 8n, l2Squared: 64n },
        { name: 'revenue', l1: 500n, l2Squared: 250_000n },
      ]);
    });

    it('holds through the exact oracle’s bounding and clipping', () => {
      let largest = [0n, 0n];
      fc.assert(
        fc.property(neighboursArb(declaredBoardings), ([d, d2]) => {
          const a = outputsByOracle(plan, d);
          const b = outputsByOracle(plan, d2);
          largest = largest.map((m, i) => {
            const l1 = distance(a[i], b[i]).l1;
            return l1 > m ? l1 : m;
          });
          expect(violations(a, b)).toEqual([]);
        }),
        { numRuns: FULL ? 10_000 : 2_000, seed: 19 },
      );
      // The bounds are reached, not just respected: the property is tight.
      expect(largest).toEqual([8n, 500n]);
    });

    it('catches a planted bounding bug (a 600-cent daily cap where the protocol declares 500)', () => {
      const leaky = (d: Dataset): bigint[][] => {
        const out = outputsByOracle(
          {
            ...plan,
            inputs: [
              plan.inputs[0],
              { ...plan.inputs[1], contribution: { ...plan.inputs[1].contribution!, total: 600 } },
            ],
          },
          d,
        );
        return out;
      };
      const result = fc.check(
        fc.property(
          neighboursArb(declaredBoardings),
          ([d, d2]) => violations(leaky(d), leaky(d2)).length === 0,
        ),
        { numRuns: 2_000, seed: 190 },
      );
      expect(result.failed).toBe(true);
    });

    it(
      'holds through the agencies’ real connectors (CSV files, bounding, clipping)',
      async () => {
        const same = (d: Dataset, got: bigint[][]) =>
          expect(got.map((o) => o.join())).toEqual(outputsByOracle(plan, d).map((o) => o.join()));
        await fc.assert(
          fc.asyncProperty(neighboursArb(declaredBoardings), async ([d, d2]) => {
            const a = await outputsByConnectors(plan, d, dir);
            same(d, a);
            const b = await outputsByConnectors(plan, d2, dir);
            same(d2, b);
            expect(violations(a, b)).toEqual([]);
          }),
          { numRuns: FULL ? 10_000 : 150, seed: 1919 },
        );
      },
      FULL ? 3_600_000 : 120_000,
    );
  },
);
