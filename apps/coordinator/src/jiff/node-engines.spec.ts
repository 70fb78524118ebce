import { describe, expect, it } from 'vitest';
import { NodeEngines } from './node-engines.js';

describe('the engines nodes announce', () => {
  it('runs a session on one engine only when all three nodes announced it', () => {
    const engines = new NodeEngines();
    expect(engines.commonEngine([1, 2, 3])).toBe('native');
    for (const p of [1, 2, 3]) engines.announce(p, 'jiff');
    expect(engines.commonEngine([1, 2, 3])).toBe('jiff');
    engines.announce(3, 'native'); // a node logged in again with the other engine
    expect(engines.commonEngine([1, 2, 3])).toBeUndefined();
    expect(engines.describe([1, 2, 3])).toBe('party 1: jiff, party 2: jiff, party 3: native');
  });
});
