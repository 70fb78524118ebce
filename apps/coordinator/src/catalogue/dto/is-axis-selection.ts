import { registerDecorator, type ValidationOptions } from 'class-validator';

const AXIS_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const AXIS_VALUE = /^[A-Za-z0-9._:-]{1,64}$/;
/** More axes than any catalogue protocol has; more values than any public data set holds. */
const MAX_AXES = 8;
const MAX_VALUES = 10_000;

/**
 * `{ "<axis>": ["<value>", …] }`: a few axis names, each with 1 to 10,000 values shaped like the
 * public data's keys. Whether the protocol has such a public axis and the values exist is the
 * catalogue's to say (`selectAxisValues`), with a message naming them.
 */
export function IsAxisSelection(options?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isAxisSelection',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: isAxisSelection,
        defaultMessage: () => AXIS_SELECTION_SHAPE,
      },
    });
  };
}

/** What `isAxisSelection` accepts, for messages. */
export const AXIS_SELECTION_SHAPE = `axes must map at most ${MAX_AXES} axis names to lists of 1 to ${MAX_VALUES} values such as "Z01"`;

/** The shape of an axis selection (see `IsAxisSelection`). */
export function isAxisSelection(value: unknown): value is Record<string, string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= MAX_AXES &&
    entries.every(
      ([name, values]) =>
        AXIS_NAME.test(name) &&
        Array.isArray(values) &&
        values.length >= 1 &&
        values.length <= MAX_VALUES &&
        values.every((v) => typeof v === 'string' && AXIS_VALUE.test(v)),
    )
  );
}
