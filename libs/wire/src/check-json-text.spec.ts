import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJsonText, type JsonTextLimits, NODE_FRAME_TEXT } from './check-json-text.js';
import { checkShape, NODE_MESSAGE_SHAPE } from './check-shape.js';
import { WireError } from './wire-error.js';

function codeOf(text: string, limits: JsonTextLimits): string | undefined {
  try {
    checkJsonText(text, limits);
    return undefined;
  } catch (e) {
    if (e instanceof WireError) return e.code;
    throw e;
  }
}

const small: JsonTextLimits = { maxDepth: 3, maxTokens: 10 };

describe('checkJsonText', () => {
  it('refuses nesting past the limit and counts only structure outside strings', () => {
    expect(codeOf('[[[1]]]', small)).toBeUndefined();
    expect(codeOf('[[[[1]]]]', small)).toBe('too-deep');
    expect(codeOf('{"a":{"b":[{}]}}', small)).toBe('too-deep');
    // Siblings do not add depth.
    expect(codeOf('[[1],[2],{"a":[3]}]', small)).toBeUndefined();
    // Brackets, commas and escaped quotes inside strings are content.
    expect(codeOf('["[[[[,,,,,,,,,,,,{{{{", "a\\"[[[[[[", "\\\\"]', small)).toBeUndefined();
    expect(codeOf('["\\\\\\"[[[[[["]', small)).toBeUndefined();
    // An escaped backslash ends before the quote: what follows is structure again.
    expect(codeOf('["\\\\",[[[1]]]]', small)).toBe('too-deep');
  });

  it('refuses more objects, arrays and commas than the limit allows', () => {
    expect(codeOf(`[${'1,'.repeat(8)}1]`, small)).toBeUndefined();
    expect(codeOf(`[${'1,'.repeat(10)}1]`, small)).toBe('too-many-nodes');
    expect(codeOf(`[${'{},'.repeat(5)}{}]`, small)).toBe('too-many-nodes');
    expect(codeOf(`{${'"k":1,'.repeat(10)}"k":1}`, small)).toBe('too-many-nodes');
  });

  it('stops at the first excess of a hostile frame, and lets long strings through', () => {
    expect(codeOf('['.repeat(5_000_000), NODE_FRAME_TEXT)).toBe('too-deep');
    expect(codeOf(`[${'{},'.repeat(1_000_000)}{}]`, NODE_FRAME_TEXT)).toBe('too-many-nodes');
    const values = Array.from({ length: 500_000 }, (_, i) => String(i * 7919)).join(',');
    const result = `["session.result",{"sessionId":"s","party":1,"outputs":[{"name":"revenue","values":"${values}"}]}]`;
    expect(codeOf(result, NODE_FRAME_TEXT)).toBeUndefined();
    // An unterminated string ends the scan (the parser refuses the text after).
    expect(codeOf('["a', NODE_FRAME_TEXT)).toBeUndefined();
  });

  it('never refuses a frame whose message passes the node message shape', () => {
    const leaf = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('v'), { maxLength: 12 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 12 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (message) => {
        let passes = true;
        try {
          checkShape(message, NODE_MESSAGE_SHAPE);
        } catch {
          passes = false;
        }
        fc.pre(passes);
        expect(
          codeOf(JSON.stringify(['session.result', message]), NODE_FRAME_TEXT),
        ).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    // At the limits themselves: the deepest and the most values a message may hold.
    let deepest: unknown = 1;
    for (let i = 1; i < NODE_MESSAGE_SHAPE.maxDepth; i++) deepest = [deepest];
    expect(codeOf(JSON.stringify(['e', deepest]), NODE_FRAME_TEXT)).toBeUndefined();
    // 1 + 10 + 10 × 998 values: just under the 10,000 a message may hold.
    const widest = Array.from({ length: 10 }, () => Array.from({ length: 998 }, () => []));
    checkShape(widest, NODE_MESSAGE_SHAPE);
    expect(codeOf(JSON.stringify(['e', widest]), NODE_FRAME_TEXT)).toBeUndefined();
  });
});
