import { WireLimits } from './events.js';
import { WireError } from './wire-error.js';

/** Bounds on a decoded JSON value, checked before any library (class-transformer…) walks it. */
export interface ShapeLimits {
  /** Nesting of objects and arrays; the value itself is depth 1 when it is one. */
  readonly maxDepth: number;
  /** Properties of one object. */
  readonly maxKeys: number;
  /** Elements of one array. */
  readonly maxArrayLength: number;
  /** Length of one string (keys included), in UTF-16 code units. */
  readonly maxStringLength: number;
  /** Objects, arrays and leaves of the whole value together. */
  readonly maxNodes: number;
}

/**
 * What any JSON message from an agency node may look like: its DTOs nest at most 3 levels, have
 * a dozen keys, lists of at most `MAX_AUTH_SESSION_IDS`, and one long string (released values).
 */
export const NODE_MESSAGE_SHAPE: ShapeLimits = Object.freeze({
  maxDepth: 8,
  maxKeys: 64,
  maxArrayLength: 1000,
  maxStringLength: WireLimits.maxJsonBytes,
  maxNodes: 10_000,
});

/**
 * Keys that reach an object's prototype machinery when a library copies a plain object onto a
 * class instance (`constructor` replaced, `__proto__` re-parented): never meaningful in a message.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks a decoded JSON value against `limits` in one iterative pass (no recursion, so hostile
 * nesting cannot overflow the stack), stopping at the first excess: its cost is linear in the
 * part of the value it visits and never more than `maxNodes` visits. Throws `WireError` with a
 * typed code (`too-deep`, `too-many-keys`, `too-long`, `too-many-nodes`, `forbidden-key`);
 * binary leaves (Buffer, ArrayBuffer) count as one node.
 */
export function checkShape(value: unknown, limits: ShapeLimits, what = 'the message'): void {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (++nodes > limits.maxNodes) {
      throw new WireError('too-many-nodes', `${what} holds more than ${limits.maxNodes} values`);
    }
    const v = top.value;
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength)
        throw new WireError(
          'too-long',
          `${what} holds a string longer than ${limits.maxStringLength}`,
        );
      continue;
    }
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer)
      continue;
    if (top.depth > limits.maxDepth)
      throw new WireError('too-deep', `${what} nests deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayLength)
        throw new WireError(
          'too-long',
          `${what} holds an array longer than ${limits.maxArrayLength}`,
        );
      for (const item of v as unknown[]) stack.push({ value: item, depth: top.depth + 1 });
      continue;
    }
    // Own enumerable keys, counted as they come: the walk stops at the first key past the limit.
    let keys = 0;
    for (const key in v) {
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      if (++keys > limits.maxKeys)
        throw new WireError(
          'too-many-keys',
          `${what} holds an object with more than ${limits.maxKeys} keys`,
        );
      if (FORBIDDEN_KEYS.has(key))
        throw new WireError('forbidden-key', `${what} holds a reserved key (${key})`);
      if (key.length > limits.maxStringLength)
        throw new WireError(
          'too-long',
          `${what} holds a key longer than ${limits.maxStringLength}`,
        );
      stack.push({ value: (v as Record<string, unknown>)[key], depth: top.depth + 1 });
    }
  }
}
