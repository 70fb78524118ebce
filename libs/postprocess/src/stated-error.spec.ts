import { describe, expect, it } from 'vitest';
import { statedEstimateError } from './stated-error.js';

describe('statedEstimateError', () => {
  it('picks the simulated budget nearest by ratio, and nothing for an output not simulated', () => {
    expect(statedEstimateError('transfers', 'transfers', 0.012)?.budget).toBe('1/100');
    expect(statedEstimateError('transfers', 'transfers', 0.3)?.budget).toBe('1/2');
    expect(statedEstimateError('revenue-per-boarding', 'revenue', 2)?.budget).toBe('1');
    expect(statedEstimateError('ridership-per-capita', 'boardings', 1)?.cells).toBe(250);
    expect(statedEstimateError('transfers', 'no-such-output', 1)).toBeUndefined();
  });
});
