import { randomUUID } from 'node:crypto';

/** The header a request id arrives in (from a proxy or a client) and is answered in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming id may look like to be kept: short, and nothing a log line could misread. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** An HTTP request once the access log has given it its id. */
export interface RequestWithId {
  requestId?: string;
}

/**
 * The id of a request: the caller's `X-Request-Id` when it is safe to repeat in logs and
 * responses, a fresh random UUID otherwise (absent, repeated, too long or odd characters).
 */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The id the access log gave `request`, if it went through it. */
export function requestIdOf(request: object): string | undefined {
  return (request as RequestWithId).requestId;
}
