import { NODE_MESSAGE_SHAPE } from './check-shape.js';
import { WireError } from './wire-error.js';

/** Bounds on a JSON text, checked on the text itself before it is parsed. */
export interface JsonTextLimits {
  /** Nesting of objects and arrays. */
  readonly maxDepth: number;
  /** Objects, arrays and commas together: at most twice the values the text holds, plus one. */
  readonly maxTokens: number;
}

/**
 * What a node's text frame (socket.io's `["event", message]`) may hold if its message is to pass
 * `NODE_MESSAGE_SHAPE`: one level more, and at most two tokens per value (every comma separates
 * two values, every object or array is one) for the message's values and the frame's three.
 */
export const NODE_FRAME_TEXT: JsonTextLimits = Object.freeze({
  maxDepth: NODE_MESSAGE_SHAPE.maxDepth + 1,
  maxTokens: 2 * (NODE_MESSAGE_SHAPE.maxNodes + 3),
});

/** Outside a string, the characters that make `JSON.parse` build something (and `"`). */
const STRUCTURE = /["[\]{},]/g;

/**
 * Refuses a JSON text whose parse alone would be costly, before it is parsed. `JSON.parse` takes
 * about a microsecond per object or array and far more per level of nesting (a 3 MB text of
 * nested arrays, or 25 MB of keys, stalls the process for seconds), while long strings and
 * numbers cost little; so the text is scanned once for structure, jumping over strings, and
 * refused at the first excess (`too-deep`, or `too-many-nodes` past `maxTokens`). The scan never
 * parses and never recurses; a text it lets through may still be invalid JSON.
 */
export function checkJsonText(text: string, limits: JsonTextLimits, what = 'the frame'): void {
  let depth = 0;
  let tokens = 0;
  STRUCTURE.lastIndex = 0;
  for (let m = STRUCTURE.exec(text); m !== null; m = STRUCTURE.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c === 0x22) {
      STRUCTURE.lastIndex = endOfString(text, m.index + 1);
      continue;
    }
    if (c === 0x5d || c === 0x7d) {
      depth--;
      continue;
    }
    if (++tokens > limits.maxTokens)
      throw new WireError('too-many-nodes', `${what} holds more values than any message may`);
    if (c !== 0x2c && ++depth > limits.maxDepth)
      throw new WireError('too-deep', `${what} nests deeper than ${limits.maxDepth} levels`);
  }
}

/** The index just after the quote that closes the string whose content starts at `from`. */
function endOfString(text: string, from: number): number {
  for (let i = text.indexOf('"', from); i !== -1; i = text.indexOf('"', i + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return i + 1;
  }
  return text.length;
}
