import type { PartyNumber } from '#concord/transcript';
import { NODE_ENGINES, type NodeEngine } from '#concord/wire';
import type { NodeLogin } from './node-presence.js';

const MAX_IDS = 10_000;

/**
 * Reads another replica's announcement of its connected nodes (arriving over Redis): anything
 * that is not a list of well-formed logins is refused whole, with a typed error the link logs.
 */
export function parseAnnouncement(payload: unknown): NodeLogin[] {
  const logins = (payload as { logins?: unknown } | null)?.logins;
  if (!Array.isArray(logins) || logins.length > 3) throw new TypeError('malformed announcement');
  return logins.map((raw: unknown) => {
    const l = raw as Record<string, unknown> | null;
    if (
      !l ||
      ![1, 2, 3].includes(l.party as number) ||
      typeof l.agencyId !== 'string' ||
      !NODE_ENGINES.includes(l.engine as NodeEngine) ||
      !isIdList(l.held) ||
      !isIdList(l.unsettled)
    )
      throw new TypeError('malformed login in announcement');
    return {
      party: l.party as PartyNumber,
      agencyId: l.agencyId,
      engine: l.engine as NodeEngine,
      held: new Set(l.held),
      unsettled: new Set(l.unsettled),
    };
  });
}

function isIdList(v: unknown): v is string[] {
  return (
    Array.isArray(v) &&
    v.length <= MAX_IDS &&
    v.every((x) => typeof x === 'string' && x.length <= 64)
  );
}
