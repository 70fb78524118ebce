import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether a host name or address stays on this machine: `localhost`, 127.0.0.0/8, `::1`, or an
 * IPv4-mapped loopback address. Tokens and node logins may travel in clear only to such a host;
 * anything else — including `0.0.0.0` and `::`, which listen on every interface — is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped) return isIPv4(mapped[1]) && mapped[1].startsWith('127.');
  // `::1` in any of its spellings: seven zero groups and a final 1.
  const groups = expandIPv6(h);
  return groups !== undefined && groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1;
}

function expandIPv6(address: string): number[] | undefined {
  const [head, tail, ...rest] = address.split('::');
  if (rest.length > 0) return undefined;
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((g) => parseInt(g, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  if (tail === undefined) return left.length === 8 ? left : undefined;
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
