import { registerDecorator, type ValidationOptions } from 'class-validator';

export const HEX32 = /^[0-9a-f]{64}$/;
export const HEX64 = /^[0-9a-f]{128}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A JSON object whose keys are party indexes ("1".."3") and whose values are 32-byte hex. */
export function IsCommitmentMap(options?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isCommitmentMap',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length === 2 &&
            entries.every(
              ([k, v]) => ['1', '2', '3'].includes(k) && typeof v === 'string' && HEX32.test(v),
            )
          );
        },
        defaultMessage: () => 'commitments must map two party indexes to 32-byte hex digests',
      },
    });
  };
}

/**
 * A comma-separated list of decimal integers ("12,-3,0"), checked in one linear scan: a regular
 * expression with a repeated group overflows the stack on million-value lists.
 */
export function IsDecimalList(maxDigits: number, options?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isDecimalList',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown): boolean {
          return typeof value === 'string' && isDecimalList(value, maxDigits);
        },
        defaultMessage: () =>
          `must be comma-separated decimal integers of at most ${maxDigits} digits`,
      },
    });
  };
}

/**
 * Field limbs as a binary frame: bytes (a Buffer once socket.io has decoded the attachment),
 * a whole number of 32-bit limbs, at most `maxBytes`. Whether each limb is canonical for the
 * plan's field is checked where the plan is known.
 */
export function IsLimbBytes(maxBytes: number, options?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isLimbBytes',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown): boolean {
          return (
            value instanceof Uint8Array &&
            value.byteLength > 0 &&
            value.byteLength % 4 === 0 &&
            value.byteLength <= maxBytes
          );
        },
        defaultMessage: () =>
          `must be binary field limbs: a multiple of 4 bytes, at most ${maxBytes} bytes`,
      },
    });
  };
}

export function isDecimalList(text: string, maxDigits: number): boolean {
  let digits = 0;
  let signAllowed = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > maxDigits) return false;
      signAllowed = false;
    } else if (c === 45 /* - */ && signAllowed) {
      signAllowed = false;
    } else if (c === 44 /* , */ && digits > 0) {
      digits = 0;
      signAllowed = true;
    } else {
      return false;
    }
  }
  return digits > 0;
}
