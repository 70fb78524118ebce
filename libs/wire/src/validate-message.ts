import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { WireError } from './wire-error.js';

/**
 * Validates an inbound message against its DTO class: unknown properties are refused, nested
 * DTOs are validated, and failures list the offending property paths.
 */
export function validateMessage<T extends object>(
  cls: ClassConstructor<T>,
  payload: unknown,
  what: string,
): T {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new WireError('invalid-message', `${what} must be a JSON object`);
  }
  const instance = plainToInstance(cls, payload);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
  });
  if (errors.length > 0) {
    const issues = flatten(errors, '');
    throw new WireError(
      'invalid-message',
      `${what} is invalid: ${issues.slice(0, 5).join('; ')}`,
      issues,
    );
  }
  return instance;
}

function flatten(errors: readonly ValidationError[], prefix: string): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.keys(e.constraints ?? {}).map((k) => `${path} (${k})`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}
