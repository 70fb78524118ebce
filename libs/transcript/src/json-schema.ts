/**
 * A few composable shape checks for plain JSON (no dependency, no coercion). A schema returns
 * undefined when the value fits, or the first broken rule as `<path> <rule>`, e.g.
 * `body.outputs[1].cells must be a positive integer`. Rules never quote the value: transcripts
 * hold no secrets, but a message should stay short and say what is wrong, not echo input.
 */
export type Schema = (value: unknown, path: string) => string | undefined;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lowercase hex of exactly `bytes` bytes. */
export function hex(bytes: number): Schema {
  const pattern = new RegExp(`^[0-9a-f]{${bytes * 2}}$`);
  return (v, path) =>
    typeof v === 'string' && pattern.test(v)
      ? undefined
      : `${path} must be ${bytes * 2} lowercase hex digits`;
}

/** A string of 1 to `max` characters (`min` 0 allows the empty string). */
export function text(max: number, min = 1): Schema {
  return (v, path) =>
    typeof v === 'string' && v.length >= min && v.length <= max
      ? undefined
      : `${path} must be a string of ${min} to ${max} characters`;
}

/** A string matching `pattern`, described to the reader as `what`. */
export function matching(pattern: RegExp, what: string): Schema {
  return (v, path) =>
    typeof v === 'string' && pattern.test(v) ? undefined : `${path} must be ${what}`;
}

/** A safe integer of at least `min`. */
export function integer(min: number): Schema {
  const what =
    min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
  return (v, path) =>
    Number.isSafeInteger(v) && (v as number) >= min ? undefined : `${path} must be ${what}`;
}

export const boolean: Schema = (v, path) =>
  typeof v === 'boolean' ? undefined : `${path} must be true or false`;

/** One of a few literal values (strings or numbers). */
export function literal(values: readonly (string | number)[], what: string): Schema {
  return (v, path) =>
    (typeof v === 'string' || typeof v === 'number') && values.includes(v)
      ? undefined
      : `${path} must be ${what}`;
}

/** The first schema's answer when it fits, else the second's (for unions such as `by`). */
export function either(a: Schema, b: Schema, what: string): Schema {
  return (v, path) =>
    a(v, path) === undefined || b(v, path) === undefined ? undefined : `${path} must be ${what}`;
}

/**
 * An object with exactly these fields: every required field present, optional ones allowed,
 * nothing else (an unknown field is a writer and a reader disagreeing on the format).
 */
export function object(
  required: Readonly<Record<string, Schema>>,
  optional: Readonly<Record<string, Schema>> = {},
): Schema {
  return (v, path) => {
    if (!isPlainObject(v)) return `${path} must be an object`;
    for (const [field, schema] of Object.entries(required)) {
      if (!(field in v)) return `${path}.${field} is missing`;
      const problem = schema(v[field], `${path}.${field}`);
      if (problem) return problem;
    }
    for (const [field, schema] of Object.entries(optional)) {
      if (field in v) {
        const problem = schema(v[field], `${path}.${field}`);
        if (problem) return problem;
      }
    }
    const unknown = Object.keys(v).find((k) => !(k in required) && !(k in optional));
    return unknown === undefined
      ? undefined
      : `${path} has an unexpected field ${fieldName(unknown)}`;
  };
}

/** An object used as a map: keys matching `key` (described as `what`), values fitting `value`. */
export function record(key: RegExp, what: string, value: Schema, maxKeys: number): Schema {
  return (v, path) => {
    if (!isPlainObject(v)) return `${path} must be an object`;
    const keys = Object.keys(v);
    if (keys.length > maxKeys) return `${path} must have at most ${maxKeys} fields`;
    for (const k of keys) {
      if (!key.test(k)) return `${path} keys must be ${what}`;
      const problem = value(v[k], `${path}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** An array of at most `max` items, each fitting `item`. */
export function array(item: Schema, max: number): Schema {
  return (v, path) => {
    if (!Array.isArray(v)) return `${path} must be an array`;
    if (v.length > max) return `${path} must have at most ${max} items`;
    for (const [i, x] of v.entries()) {
      const problem = item(x, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** A field name as a message may show it: identifiers as they are, anything else elided. */
export function fieldName(name: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : '(an unprintable name)';
}
