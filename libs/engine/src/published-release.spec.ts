import { describe, expect, it } from 'vitest';
import { fieldById, fromBigInts, vectorToBytes } from '#concord/field';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { releaseDigest, releaseDigestOfLimbs } from '#concord/transcript';
import {
  publishedHeaders,
  publishedOutputs,
  releaseDigestOf,
  releaseDigestOfVectors,
} from './published-release.js';
import { publishedVector } from './published-values.js';
import { outputDecimals, resultDigest, type SessionResult } from './session-result.js';

const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
const plan = compileSessionPlan(entry.analysis, {
  sessionId: 'published-release',
  parameters: { serviceDate: '2026-03-10' },
  axisValues: { route: ['R1'] },
  budget: '1/2',
  parties: { transit: 1, payments: 2, planning: 3 },
});
const field = fieldById(plan.field);

function resultOf(values: (i: number, cell: number) => bigint): SessionResult {
  const outputs = plan.outputs.map((o, i) => ({
    name: o.name,
    vector: fromBigInts(
      field,
      Array.from({ length: o.length }, (_, c) => values(i, c)),
    ),
  }));
  return { outputs, digest: resultDigest(plan.sessionId, outputs) };
}

describe('what a session publishes', () => {
  it('takes names, units, intervals and levels from the plan and the values as given', () => {
    const texts = plan.outputs.map((o, i) => Array.from({ length: o.length }, () => i).join(','));
    const published = publishedOutputs(plan, texts);
    expect(published.map((o) => [o.name, o.unit, o.confidenceLevel])).toEqual(
      plan.outputs.map((o) => [o.name, o.unit, '0.95']),
    );
    // The catalogue's exact 95% half-widths for this plan's noise (σ_s² = 64 and 250000).
    expect(published.map((o) => o.intervalHalfWidth)).toEqual(['27', '1697']);
    expect(published.map((o) => o.values)).toEqual(texts);
  });

  it('refuses value texts that do not match the plan’s outputs one for one', () => {
    expect(() => publishedOutputs(plan, ['1'])).toThrow(
      expect.objectContaining({ code: 'malformed-payload' }),
    );
  });

  it('digests an opened result as its canonical decimal text in version 1, negatives included', () => {
    const result = resultOf((i, c) => BigInt(c - 5) * BigInt(i + 1));
    const texts = plan.outputs.map((o, i) =>
      Array.from({ length: o.length }, (_, c) => (c - 5) * (i + 1)).join(','),
    );
    expect(releaseDigestOf(plan, result, 1)).toBe(
      releaseDigest(plan.sessionId, publishedOutputs(plan, texts)),
    );
    const other = resultOf((i, c) => (i === 1 && c === 23 ? 1n : BigInt(c - 5) * BigInt(i + 1)));
    expect(releaseDigestOf(plan, other, 1)).not.toBe(releaseDigestOf(plan, result, 1));
  });

  it('digests an opened result as its limbs in version 2, the same digest as its text parsed back', () => {
    const result = resultOf((i, c) => BigInt(c - 5) * BigInt(i + 1));
    const v2 = releaseDigestOf(plan, result, 2);
    expect(v2).toBe(
      releaseDigestOfLimbs(
        plan.sessionId,
        plan.field,
        publishedHeaders(plan),
        result.outputs.map((o) => vectorToBytes(o.vector)),
      ),
    );
    expect(v2).not.toBe(releaseDigestOf(plan, result, 1));
    // What a verifier holding only the published text computes.
    const parsed = plan.outputs.map((o, i) =>
      publishedVector(field, outputDecimals(result.outputs[i]), o.length)!,
    );
    expect(releaseDigestOfVectors(plan, parsed)).toBe(v2);
    const other = resultOf((i, c) => (i === 1 && c === 23 ? 1n : BigInt(c - 5) * BigInt(i + 1)));
    expect(releaseDigestOf(plan, other, 2)).not.toBe(v2);
  });

  it('refuses vectors of another field or length for a version 2 digest', () => {
    const result = resultOf(() => 0n);
    const vectors = result.outputs.map((o) => o.vector);
    const otherField = fieldById(plan.field === 'rns31x1' ? 'rns31x2' : 'rns31x1');
    for (const wrong of [
      [vectors[0]],
      [vectors[0], fromBigInts(field, [0n])],
      [vectors[0], fromBigInts(otherField, new Array<bigint>(vectors[1].length).fill(0n))],
    ]) {
      expect(() => releaseDigestOfVectors(plan, wrong)).toThrow(
        expect.objectContaining({ code: 'malformed-payload' }),
      );
    }
  });

  it('refuses a result that does not name the plan’s outputs', () => {
    const result = resultOf(() => 0n);
    const renamed = { ...result, outputs: [...result.outputs].reverse() };
    for (const version of [1, 2] as const) {
      expect(() => releaseDigestOf(plan, renamed, version)).toThrow(
        expect.objectContaining({ code: 'malformed-payload' }),
      );
    }
  });
});
