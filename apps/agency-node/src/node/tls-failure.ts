/**
 * The reason a connection failed because the coordinator's TLS could not be verified (an
 * untrusted, expired or misnamed certificate, or no TLS where `https://` was asked for), or
 * undefined for any other failure. socket.io wraps the socket's error: the TLS error, with its
 * OpenSSL code, sits in its `description` (and that event's `error`).
 */
export function tlsFailure(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && TLS_CODE.test(code))
      return typeof message === 'string' && message !== '' ? `${code}: ${message}` : code;
    const next = current as { description?: unknown; error?: unknown; cause?: unknown };
    current = next.description ?? next.error ?? next.cause;
  }
  return undefined;
}

/** OpenSSL verification codes (certificate, issuer, self-signed) and Node's TLS/SSL errors. */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|^ERR_SSL_|^ERR_TLS_/;

/** One line for an operator: what failed and how to fix it. */
export function tlsFailureMessage(coordinatorUrl: string, reason: string): string {
  return (
    `cannot verify the TLS certificate of the coordinator at ${coordinatorUrl} (${reason}): ` +
    'if a private CA issued it, give that CA with --ca-file (caFile in the node configuration)'
  );
}
