import { describe, expect, it } from 'vitest';
import { STATED_ESTIMATE_ERROR } from '#concord/postprocess';
import { CATALOGUE_DIR, simulateEstimateError } from './estimate-error-simulation.js';

describe('post-processed estimates: error by simulation', () => {
  it('reproduces the figures stated in docs/privacy.md and served by the API (fixed seeds)', () => {
    const measured = simulateEstimateError(CATALOGUE_DIR);
    expect(measured).toEqual(STATED_ESTIMATE_ERROR);
  }, 60_000);
});
