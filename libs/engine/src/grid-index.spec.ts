import { describe, expect, it } from 'vitest';
import { broadcastMap, reductionMap } from './grid-index.js';

describe('grid maps', () => {
  const sizes = new Map([
    ['a', 2],
    ['b', 3],
  ]);
  it('reduce a row-major grid over an axis', () => {
    expect([...reductionMap(['a', 'b'], ['b'], sizes)]).toEqual([0, 0, 0, 1, 1, 1]);
    expect([...reductionMap(['a', 'b'], ['a'], sizes)]).toEqual([0, 1, 2, 0, 1, 2]);
    expect([...reductionMap(['a', 'b'], ['a', 'b'], sizes)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...reductionMap(['a', 'b'], [], sizes)]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('broadcast a grid to a wider one', () => {
    expect([...broadcastMap(['b'], ['a', 'b'], sizes)]).toEqual([0, 1, 2, 0, 1, 2]);
    expect([...broadcastMap(['a'], ['a', 'b'], sizes)]).toEqual([0, 0, 0, 1, 1, 1]);
  });
});
