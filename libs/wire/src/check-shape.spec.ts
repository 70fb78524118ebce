import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkShape, NODE_MESSAGE_SHAPE, type ShapeLimits } from './check-shape.js';
import { WireError } from './wire-error.js';

const limits: ShapeLimits = {
  maxDepth: 4,
  maxKeys: 5,
  maxArrayLength: 6,
  maxStringLength: 10,
  maxNodes: 40,
};

function codeOf(value: unknown, l: ShapeLimits = limits): string | undefined {
  try {
    checkShape(value, l);
    return undefined;
  } catch (e) {
    if (e instanceof WireError) return e.code;
    throw e;
  }
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** Depth, widest object and array, longest string and node count of a JSON value (reference). */
function measure(value: unknown, depth = 1): ShapeLimits {
  if (typeof value === 'string')
    return {
      maxDepth: 0,
      maxKeys: 0,
      maxArrayLength: 0,
      maxStringLength: value.length,
      maxNodes: 1,
    };
  if (typeof value !== 'object' || value === null)
    return { maxDepth: 0, maxKeys: 0, maxArrayLength: 0, maxStringLength: 0, maxNodes: 1 };
  const children = Array.isArray(value) ? value : Object.values(value);
  const keys = Array.isArray(value) ? [] : Object.keys(value);
  const own: ShapeLimits = {
    maxDepth: depth,
    maxKeys: keys.length,
    maxArrayLength: Array.isArray(value) ? value.length : 0,
    maxStringLength: Math.max(0, ...keys.map((k) => k.length)),
    maxNodes: 1,
  };
  return children
    .map((c) => measure(c, depth + 1))
    .reduce(
      (a, b) => ({
        maxDepth: Math.max(a.maxDepth, b.maxDepth),
        maxKeys: Math.max(a.maxKeys, b.maxKeys),
        maxArrayLength: Math.max(a.maxArrayLength, b.maxArrayLength),
        maxStringLength: Math.max(a.maxStringLength, b.maxStringLength),
        maxNodes: a.maxNodes + b.maxNodes,
      }),
      own,
    );
}

const FORBIDDEN = /"(__proto__|constructor|prototype)":/;

describe('checkShape', () => {
  it('accepts a value within every limit and names the first limit a value exceeds', () => {
    expect(codeOf({ a: [1, 'x', { b: null }], c: true })).toBeUndefined();
    expect(codeOf(nested(4))).toBeUndefined();
    expect(codeOf(nested(5))).toBe('too-deep');
    expect(codeOf({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 })).toBe('too-many-keys');
    expect(codeOf([1, 2, 3, 4, 5, 6, 7])).toBe('too-long');
    expect(codeOf({ a: 'x'.repeat(11) })).toBe('too-long');
    expect(codeOf({ ['k'.repeat(11)]: 1 })).toBe('too-long');
    expect(
      codeOf(
        [
          [1, 2, 3, 4, 5, 6],
          [1, 2, 3, 4, 5, 6],
          [1, 2, 3, 4, 5, 6],
        ],
        { ...limits, maxNodes: 20 },
      ),
    ).toBe('too-many-nodes');
    expect(codeOf(Buffer.alloc(1000))).toBeUndefined();
  });

  it('refuses the keys that reach an object’s prototype, however they were made', () => {
    expect(codeOf(JSON.parse('{"__proto__": {"admin": true}}'))).toBe('forbidden-key');
    expect(codeOf({ a: [{ constructor: { name: 'x' } }] })).toBe('forbidden-key');
    expect(codeOf({ prototype: 1 })).toBe('forbidden-key');
  });

  it('stays iterative and linear on hostile input: 100 000 levels, 160 000 keys', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(codeOf(deep, NODE_MESSAGE_SHAPE)).toBe('too-deep');
    const flood: Record<string, number> = {};
    for (let i = 0; i < 160_000; i++) flood[`k${i}`] = i;
    expect(codeOf(flood, NODE_MESSAGE_SHAPE)).toBe('too-many-keys');
    expect(
      codeOf(
        Array.from({ length: 1_000_000 }, () => 0),
        NODE_MESSAGE_SHAPE,
      ),
    ).toBe('too-long');
  });

  it('accepts exactly the JSON values whose measured shape is within the limits', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const m = measure(value);
        const fits =
          m.maxDepth <= limits.maxDepth &&
          m.maxKeys <= limits.maxKeys &&
          m.maxArrayLength <= limits.maxArrayLength &&
          m.maxStringLength <= limits.maxStringLength &&
          m.maxNodes <= limits.maxNodes &&
          !FORBIDDEN.test(JSON.stringify(value));
        expect(codeOf(value) === undefined).toBe(fits);
      }),
      { numRuns: 500 },
    );
  });
});
