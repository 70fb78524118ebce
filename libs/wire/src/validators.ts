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
