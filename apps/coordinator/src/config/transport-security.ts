import type { ConfigurationIssue } from '#concord/errors';
import { isLoopbackHost } from '#concord/wire';

/** The settings that decide whether tokens and node logins could cross a network in clear. */
export interface TransportSettings {
  readonly HOST: string;
  readonly TLS_CERT_FILE?: string;
  readonly TLS_KEY_FILE?: string;
  readonly TLS_TERMINATED_BY_PROXY: boolean;
}

/**
 * Why the coordinator must not start with these settings, or undefined if it may. Bearer tokens
 * and node logins travel in every request, so plain HTTP is allowed only on a loopback address,
 * unless the operator states that a reverse proxy in front terminates TLS.
 */
export function transportSecurityProblem(
  settings: TransportSettings,
): ConfigurationIssue | undefined {
  const cert = Boolean(settings.TLS_CERT_FILE);
  const key = Boolean(settings.TLS_KEY_FILE);
  if (cert !== key) {
    const [given, missing] = cert
      ? ['TLS_CERT_FILE', 'TLS_KEY_FILE']
      : ['TLS_KEY_FILE', 'TLS_CERT_FILE'];
    return {
      setting: missing,
      requirement: `set with ${given} (${given} is set without ${missing}: give both to serve HTTPS, or neither)`,
    };
  }
  if (!cert && !settings.TLS_TERMINATED_BY_PROXY && !isLoopbackHost(settings.HOST))
    return {
      setting: 'HOST',
      requirement:
        'a loopback address when no TLS is configured, or API tokens would travel in clear: set TLS_CERT_FILE and TLS_KEY_FILE, or TLS_TERMINATED_BY_PROXY=true behind a proxy that terminates TLS',
      shown: JSON.stringify(settings.HOST),
    };
  return undefined;
}
