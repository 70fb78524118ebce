import { CryptoError, readEnvelopeHeader } from '#concord/crypto';
import { WireLimits } from './events.js';
import { WireError } from './wire-error.js';

export type PartyIndexOnWire = 1 | 2 | 3;

/**
 * The clear routing header of an envelope, parsed and checked once: every reader (the
 * coordinator's relay, the node's transport, the party engine) calls `parseEnvelopeRoute` and
 * never looks at the bytes itself.
 */
export interface EnvelopeRoute {
  readonly sessionId: string;
  /** `join-1`, `join-2` (join plans only), `input`, `mul-<level>` (level 1..999) or `open`. */
  readonly round: string;
  readonly from: PartyIndexOnWire;
  readonly to: PartyIndexOnWire;
  readonly chunk: number;
  readonly chunks: number;
}

/** Most chunks one round's payload may be split into (4 MiB each: 16 GiB, far above any plan). */
export const MAX_ENVELOPE_CHUNKS = 4096;

const MUL_ROUND = /^mul-([1-9]\d{0,2})$/;
/** A session id as plans carry them (the coordinator's are UUIDs; engines run any plan's). */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

/**
 * The level of a round name: -2 and -1 for the private join's `join-1` and `join-2`, 0 for
 * `input`, k for `mul-k`, and `Infinity` for `open`; undefined for anything else. Rounds of one
 * session run in this order.
 */
export function roundLevel(round: string): number | undefined {
  if (round === 'join-1') return -2;
  if (round === 'join-2') return -1;
  if (round === 'input') return 0;
  if (round === 'open') return Number.POSITIVE_INFINITY;
  const m = MUL_ROUND.exec(round);
  return m ? Number(m[1]) : undefined;
}

/**
 * Whether `round` is a round of a plan with `levels` multiplication levels (and the join's two
 * rounds, when the plan joins).
 */
export function isRoundOfPlan(round: string, levels: number, joins = false): boolean {
  const level = roundLevel(round);
  if (level === undefined) return false;
  if (level < 0) return joins;
  return level === 0 || level === Infinity || level <= levels;
}

/** A stable key of one envelope slot: (round, from, to, chunk). */
export function envelopeSlot(route: {
  readonly round: string;
  readonly from: number;
  readonly to: number;
  readonly chunk: number;
}): string {
  return `${route.round}|${route.from}|${route.to}|${route.chunk}`;
}

/**
 * Parses a relayed envelope's routing header: binary, within the size limit, a readable header
 * naming a session, a known round name, a sender and a different receiver among parties
 * 1..3, and a chunk index within its chunk count. Throws `WireError('invalid-envelope')`; it
 * never decrypts anything and never throws anything else.
 */
export function parseEnvelopeRoute(payload: unknown): EnvelopeRoute {
  const bytes = asBytes(payload);
  if (!bytes) throw new WireError('invalid-envelope', 'an envelope must be binary');
  if (bytes.byteLength > WireLimits.maxEnvelopeBytes) {
    throw new WireError('invalid-envelope', 'the envelope exceeds the envelope size limit');
  }
  let header: Record<string, unknown>;
  try {
    header = readEnvelopeHeader(bytes).header;
  } catch (e) {
    if (e instanceof CryptoError)
      throw new WireError('invalid-envelope', `malformed envelope: ${e.message}`);
    throw new WireError('invalid-envelope', 'malformed envelope');
  }
  const { sessionId, round, from, to, chunk, chunks } = header;
  if (typeof sessionId !== 'string' || !SESSION_ID.test(sessionId))
    throw new WireError('invalid-envelope', 'the envelope names no session');
  if (typeof round !== 'string' || roundLevel(round) === undefined)
    throw new WireError('invalid-envelope', 'the envelope names no known round');
  if (!isParty(from) || !isParty(to) || from === to)
    throw new WireError('invalid-envelope', 'the envelope does not name two different parties');
  if (
    !Number.isSafeInteger(chunks) ||
    !Number.isSafeInteger(chunk) ||
    (chunks as number) < 1 ||
    (chunks as number) > MAX_ENVELOPE_CHUNKS ||
    (chunk as number) < 0 ||
    (chunk as number) >= (chunks as number)
  ) {
    throw new WireError(
      'invalid-envelope',
      'the envelope chunk index does not fit its chunk count',
    );
  }
  return { sessionId, round, from, to, chunk: chunk as number, chunks: chunks as number };
}

/** The bytes of a binary socket payload (socket.io delivers a Buffer, browsers an ArrayBuffer). */
export function asBytes(payload: unknown): Uint8Array | undefined {
  if (payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  return undefined;
}

function isParty(value: unknown): value is PartyIndexOnWire {
  return value === 1 || value === 2 || value === 3;
}
