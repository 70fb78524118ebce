import { describe, expect, it } from 'vitest';
import { fieldById, fromBigInts } from '#concord/field';
import { compileSessionPlan, readCatalogueDirectory } from '#concord/protocol';
import { releaseDigest } from '#concord/transcript';
import { publishedOutputs, releaseDigestOf } from './published-release.js';
import { resultDigest, type SessionResult } from './session-result.js';

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

  it('digests an opened result as its canonical decimal text, negatives included', () => {
    const result = resultOf((i, c) => BigInt(c - 5) * BigInt(i + 1));
    const texts = plan.outputs.map((o, i) =>
      Array.from({ length: o.length }, (_, c) => (c - 5) * (i + 1)).join(','),
    );
    expect(releaseDigestOf(plan, result)).toBe(
      releaseDigest(plan.sessionId, publishedOutputs(plan, texts)),
    );
    const other = resultOf((i, c) => (i === 1 && c === 23 ? 1n : BigInt(c - 5) * BigInt(i + 1)));
    expect(releaseDigestOf(plan, other)).not.toBe(releaseDigestOf(plan, result));
  });

  it('refuses a result that does not name the plan’s outputs', () => {
    const result = resultOf(() => 0n);
    const renamed = { ...result, outputs: [...result.outputs].reverse() };
    expect(() => releaseDigestOf(plan, renamed)).toThrow(
      expect.objectContaining({ code: 'malformed-payload' }),
    );
  });
});
