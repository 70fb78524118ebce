import { describe, expect, it } from 'vitest';
import { tlsFailure, tlsFailureMessage } from './tls-failure.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('tlsFailure', () => {
  it('finds the TLS error socket.io wraps in a transport error', () => {
    const cause = withCode(
      'self-signed certificate in certificate chain',
      'SELF_SIGNED_CERT_IN_CHAIN',
    );
    const transportError = Object.assign(new Error('websocket error'), {
      description: { type: 'error', message: cause.message, error: cause },
    });
    expect(tlsFailure(transportError)).toBe(
      'SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain',
    );
  });

  it('recognises hostname, expiry and protocol failures', () => {
    for (const code of [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'CERT_HAS_EXPIRED',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'ERR_SSL_WRONG_VERSION_NUMBER',
    ])
      expect(tlsFailure({ description: withCode('x', code) })).toBe(`${code}: x`);
  });

  it('leaves other failures (refused, timed out, unknown shapes) alone', () => {
    expect(tlsFailure(withCode('connect ECONNREFUSED', 'ECONNREFUSED'))).toBeUndefined();
    expect(tlsFailure(new Error('timeout'))).toBeUndefined();
    expect(tlsFailure('websocket error')).toBeUndefined();
    const loop: { description?: unknown } = {};
    loop.description = loop;
    expect(tlsFailure(loop)).toBeUndefined();
  });

  it('tells the operator what to do in one line', () => {
    const line = tlsFailureMessage(
      'https://c.example',
      'CERT_HAS_EXPIRED: certificate has expired',
    );
    expect(line).toMatch(/--ca-file/);
    expect(line).not.toMatch(/\n/);
  });
});
