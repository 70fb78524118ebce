import { ConcordError } from '#concord/errors';

/**
 * Whether a database failure is the database being unreachable or going away (a connection
 * refused, reset or terminated; the server shutting down or not accepting connections yet) rather
 * than a statement being wrong. Those are retried by sessions and answered with 503 by the API;
 * anything else is a bug or a conflict and is not retried blindly.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      // SQLSTATE class 08 (connection exception), 57P0x (shutdown, cannot connect now), 53300
      // (too many connections); Node's socket errors.
      if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') return true;
      if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code))
        return true;
    }
    if (
      typeof message === 'string' &&
      /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|Connection is not established|not queryable/i.test(
        message,
      )
    )
      return true;
    e =
      (e as { cause?: unknown; driverError?: unknown }).driverError ??
      (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * A statement gave up waiting for a lock (`lock_timeout`, SQLSTATE 55P03): another transaction
 * holds it, for instance one of a replica frozen mid-transaction until PostgreSQL ends it.
 */
export function isLockTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === '55P03') return true;
    e =
      (e as { cause?: unknown; driverError?: unknown }).driverError ??
      (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The session row was not in the state a transition expected: another writer moved it. */
export class StaleSessionError extends ConcordError<'stale-session'> {
  readonly domain = 'coordinator';
  constructor(sessionId: string, expected: string) {
    super('stale-session', `session ${sessionId} is no longer ${expected}`);
  }
}
