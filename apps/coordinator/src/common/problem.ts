/**
 * An RFC 7807 problem document. `type` is a stable URI per error code (documented in
 * docs/operations.md), so clients switch on it rather than on the human-readable text.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code: string;
  readonly issues?: readonly string[];
  /** The request's id, as in the `X-Request-Id` header and the access log line. */
  readonly requestId?: string;
}

export const PROBLEM_BASE = 'https://concord.example/problems/';

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  issues?: readonly string[],
): Problem {
  return {
    type: `${PROBLEM_BASE}${code}`,
    title,
    status,
    detail,
    code,
    ...(issues ? { issues } : {}),
  };
}
