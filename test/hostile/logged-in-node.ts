import { ENVELOPE_VERSION } from '#concord/crypto';
import { FromNode, NODE_NAMESPACE, signAuthChallenge, ToNode } from '#concord/wire';
import { readIdentityFile } from '../../apps/agency-node/src/keys/identity-file.js';
import { type HostileSocket, hostileSocket } from './hostile-clients.js';

// An attacker that holds an agency's real identity key: it logs in at the node namespace as that
// agency (its node process stopped first) and then sends what no honest node would.

/**
 * A raw socket.io EVENT frame on the node namespace, built by hand (no client-side encoding, so
 * `__proto__` keys and any nesting reach the server as written; the engine adds its `4` prefix).
 */
export const nodeFrame = (event: string, payloadJson: string): string =>
  `2${NODE_NAMESPACE},["${event}",${payloadJson}]`;

/**
 * Logs in as the agency whose key file is `keyFile`, from `localAddress`, announcing `engine`.
 * Retries while the coordinator still sees the stopped node connected (`already-connected`), and
 * answers the coordinator's heartbeats so the login is not dropped as stalled.
 */
export async function logInAs(
  url: string,
  keyFile: string,
  localAddress: string,
  engine: 'native' | 'jiff' = 'native',
): Promise<HostileSocket> {
  const { agencyId, identity } = readIdentityFile(keyFile);
  for (let attempt = 0; ; attempt++) {
    const s = await hostileSocket(`${url}${NODE_NAMESPACE}`, { localAddress });
    const challenge = (await s.next(ToNode.authChallenge)) as {
      nonce: string;
      coordinator: string;
    };
    s.socket.emit(FromNode.authResponse, {
      agencyId,
      engine,
      signature: signAuthChallenge(identity, challenge.nonce, agencyId, challenge.coordinator),
      held: [],
      unsettled: [],
    });
    const result = (await s.next(ToNode.authResult)) as { ok: boolean; code?: string };
    if (result.ok) {
      s.socket.on(ToNode.heartbeat, (m: unknown) => s.socket.emit(FromNode.heartbeat, m));
      return s;
    }
    s.socket.disconnect();
    if (result.code !== 'already-connected' || attempt >= 50)
      throw new Error(`login as ${agencyId} refused: ${JSON.stringify(result)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The payload of the first `event` (that `matches`, if given) the socket received at or after
 * position `from` of its `received` list (unlike `next`, it skips nothing else).
 */
export async function receivedAfter(
  s: HostileSocket,
  from: number,
  event: string,
  matches: (payload: unknown) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = s.received.slice(from).find(([e, p]) => e === event && matches(p));
    if (hit) return hit[1];
    if (s.isClosed())
      throw new Error(`closed (${await s.closed}) before ${event}: ${summary(s, from)}`);
    if (Date.now() > deadline) throw new Error(`no ${event}: ${summary(s, from)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function summary(s: HostileSocket, from: number): string {
  return JSON.stringify(s.received.slice(from).map(([e, p]) => [e, p]));
}

/**
 * Envelope-shaped bytes with `headerJson` as their clear header (version, length, header, then
 * zeros where nonce, ciphertext and tag go): enough for the relay to read the route, never to open.
 */
export function envelopeWithHeader(headerJson: string, bodyBytes = 64): Buffer {
  const header = Buffer.from(headerJson, 'utf8');
  const prefix = Buffer.alloc(3);
  prefix.writeUInt8(ENVELOPE_VERSION, 0);
  prefix.writeUInt16BE(header.length, 1);
  return Buffer.concat([prefix, header, Buffer.alloc(bodyBytes)]);
}
