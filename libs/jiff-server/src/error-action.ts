import type { JiffAction } from './actions.js';
import { JiffServerError } from './jiff-error.js';

/**
 * The `error` event JIFF clients understand: `{label, error}` with the event name and a text. The
 * closed `code` is added for clients that want to branch on it (stock clients ignore it).
 */
export function errorAction(socketId: string, label: string, error: JiffServerError): JiffAction {
  return {
    kind: 'emit',
    socketId,
    event: 'error',
    payload: JSON.stringify({ label, error: `${error.code}: ${error.message}`, code: error.code }),
  };
}

/** Contains anything thrown inside a handler: typed errors pass, the rest become `internal`. */
export function asJiffError(thrown: unknown): JiffServerError {
  if (thrown instanceof JiffServerError) return thrown;
  return new JiffServerError('internal', 'the server failed to handle this event');
}

/** Event names are echoed only when they look like identifiers (never arbitrary client text). */
export function errorLabel(event: string): string {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(event) ? event : 'unknown';
}
