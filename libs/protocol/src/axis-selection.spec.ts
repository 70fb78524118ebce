import { describe, expect, it } from 'vitest';
import { selectAxisValues } from './axis-selection.js';
import { readCatalogueDirectory } from './catalogue.js';

const od = readCatalogueDirectory('protocols').find('reduced-fare-od-flows')!.analysis.definition;
const zones = ['Z01', 'Z02', 'Z03', 'Z04', 'Z05'];
const publicValues = { from_zone: zones, to_zone: zones };

describe('selecting some values of a public axis', () => {
  it('keeps every public value without a selection, and the public order with one', () => {
    expect(selectAxisValues(od, publicValues)).toEqual(publicValues);
    expect(selectAxisValues(od, publicValues, { from_zone: ['Z04', 'Z02'] })).toEqual({
      from_zone: ['Z02', 'Z04'],
      to_zone: zones,
    });
  });

  it('refuses an axis that is not public, an empty, repeated or unknown value, by name', () => {
    const refusal = (selection: Record<string, string[]>): string => {
      try {
        selectAxisValues(od, publicValues, selection);
      } catch (e) {
        expect(e).toMatchObject({ code: 'invalid-axis-values' });
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refusal({ card: ['1'] })).toBe(
      'protocol reduced-fare-od-flows has no public axis card to select values of (its public axes: from_zone, to_zone)',
    );
    expect(refusal({ hour: ['1'] })).toContain('no public axis hour');
    expect(refusal({ to_zone: [] })).toBe('axis to_zone: select at least one value');
    expect(refusal({ to_zone: ['Z01', 'Z01'] })).toBe('axis to_zone: a value is selected twice');
    expect(refusal({ to_zone: ['Z01', 'Z99'] })).toBe(
      'axis to_zone: "Z99" is not one of its 5 public values',
    );
  });
});
