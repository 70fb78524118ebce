import { JiffServerError } from './jiff-error.js';
import type { JiffLimits } from './limits.js';

/** A parsed JSON object payload (never an array, never null). */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * JIFF sends every event as exactly one string holding JSON. Anything else (no argument, several,
 * an object, a Buffer, a number) is refused before parsing; the length is checked before
 * `JSON.parse`, and the nesting depth after it so that re-serialising a relayed object is bounded.
 */
export function parsePayload(args: readonly unknown[], limits: JiffLimits): JsonObject {
  if (args.length !== 1 || typeof args[0] !== 'string') {
    throw new JiffServerError('invalid-payload', 'expected exactly one string argument with JSON');
  }
  const text = args[0];
  if (text.length > limits.maxPayloadLength) {
    throw new JiffServerError(
      'payload-too-large',
      `payload is ${text.length} characters, limit ${limits.maxPayloadLength}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JiffServerError('invalid-json', 'payload is not valid JSON');
  }
  if (!isJsonObject(value)) {
    throw new JiffServerError('invalid-payload', 'payload JSON must be an object');
  }
  if (depthExceeds(value, limits.maxPayloadDepth)) {
    throw new JiffServerError(
      'payload-too-large',
      `payload nests deeper than ${limits.maxPayloadDepth} levels`,
    );
  }
  return value;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Iterative (no recursion, so hostile nesting cannot overflow the stack). */
function depthExceeds(root: unknown, maxDepth: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return true;
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
