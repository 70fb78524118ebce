import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { loadCoordinatorConfig } from './coordinator-config.js';

const required = { CONSORTIUM_FILE: 'consortium.json', PUBLIC_DATA_DIR: 'public' };

describe('coordinator configuration', () => {
  it('pools ten connections to DATABASE_URL unless DATABASE_POOL_SIZE says otherwise', () => {
    expect(loadCoordinatorConfig(required).DATABASE_POOL_SIZE).toBe(10);
    expect(loadCoordinatorConfig({ ...required, DATABASE_POOL_SIZE: '1' }).DATABASE_POOL_SIZE).toBe(
      1,
    );
  });

  it('refuses a pool of no connections or a fraction of one, naming the variable', () => {
    for (const bad of ['0', '1.5', 'ten'])
      expect(() => loadCoordinatorConfig({ ...required, DATABASE_POOL_SIZE: bad })).toThrow(
        /DATABASE_POOL_SIZE/,
      );
  });
});
