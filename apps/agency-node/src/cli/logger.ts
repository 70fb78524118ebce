import pino, { type Logger } from 'pino';
import { ConfigurationError } from '#concord/errors';

/** Node logs: JSON lines on stderr (stdout is for command output), with secrets redacted. */
export function createNodeLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  if (!Object.hasOwn(pino.levels.values, level) && level !== 'silent')
    throw new ConfigurationError({
      setting: 'LOG_LEVEL',
      requirement: 'one of fatal, error, warn, info, debug, trace, silent',
      shown: JSON.stringify(level),
    });
  return pino(
    {
      name,
      level,
      redact: {
        paths: ['signature', 'secretKey', 'sessionKey', '*.signature', '*.secretKey'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
