import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Fields that could ever carry secret material are redacted by path, and
 * by convention nothing secret is logged in the first place: shares, keys, raw inputs and
 * unnoised results never reach a log call.
 */
export const REDACTED_PATHS = [
  'signature',
  'secretKey',
  'sessionKey',
  'token',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.signature',
  '*.secretKey',
  '*.token',
];

export function createLogger(level: string, name = 'coordinator'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

/** Nest's logger interface over pino, so framework messages share the same stream. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
