import { isLoopbackHost } from '#concord/wire';

/**
 * Why a node must not connect to this coordinator URL, or undefined if it may. Plain `http://` is
 * for a coordinator on this machine: anywhere else, everything the node and the coordinator say
 * (logins, invitations, results) could be read and altered on the way, so it needs `https://` or
 * an explicit `--allow-insecure-http`.
 */
export function insecureCoordinatorUrlProblem(
  coordinatorUrl: string,
  allowInsecureHttp: boolean,
): string | undefined {
  let url: URL;
  try {
    url = new URL(coordinatorUrl);
  } catch {
    return `coordinatorUrl ${coordinatorUrl} is not a URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:')
    return `coordinatorUrl ${coordinatorUrl} must be an https:// (or loopback http://) URL`;
  if (allowInsecureHttp || isLoopbackHost(url.hostname)) return undefined;
  return (
    `coordinatorUrl ${url.origin} is plain HTTP to a host that is not loopback, so the node's traffic would travel in clear: ` +
    'use https:// (with --ca-file for a private CA), or pass --allow-insecure-http on a network you trust'
  );
}
