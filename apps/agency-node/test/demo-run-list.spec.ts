import { describe, expect, it } from 'vitest';
import { readCatalogueDirectory } from '#concord/protocol';
import { demoRunList, skippedLine } from '../src/demo/demo-run-list.js';

const entries = readCatalogueDirectory('protocols').entries();
const ids = (list: readonly { analysis: { definition: { id: string } } }[]): string[] =>
  list.map((e) => e.analysis.definition.id);

describe('the demo run list', () => {
  it('runs every catalogue protocol on the small city', () => {
    const { run, skipped } = demoRunList(entries, 'small');
    expect(ids(run)).toEqual(ids(entries));
    expect(skipped).toEqual([]);
  });

  it('leaves fare-capping impact out on the medium city, saying why and how to run it', () => {
    const { run, skipped } = demoRunList(entries, 'medium');
    expect(ids(run)).toEqual(ids(entries).filter((id) => id !== 'reduced-fare-capping'));
    expect(skipped.map((s) => s.id)).toEqual(['reduced-fare-capping']);
    const line = skippedLine(skipped[0]);
    expect(line).toContain('lease');
    expect(line).toContain('--scale small');
  });
});
