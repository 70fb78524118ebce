import pino, { type Logger } from 'pino';

/** Node logs: JSON lines on stderr (stdout is for command output), with secrets redacted. */
export function createNodeLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
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
