import type { PartyNumber } from '#concord/transcript';
import {
  areDateRanges,
  COVERAGE_KINDS,
  type CoverageKind,
  type DataCoverage,
  MAX_COVERAGE_INPUTS,
  MAX_DATE_RANGES,
  NODE_ENGINES,
  type NodeEngine,
} from '#concord/wire';
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
      !isIdList(l.unsettled) ||
      !(l.coverage === undefined || isCoverage(l.coverage))
    )
      throw new TypeError('malformed login in announcement');
    return {
      party: l.party as PartyNumber,
      agencyId: l.agencyId,
      engine: l.engine as NodeEngine,
      held: new Set(l.held),
      unsettled: new Set(l.unsettled),
      ...(l.coverage === undefined ? {} : { coverage: l.coverage }),
    };
  });
}

/** The shape `NodeCoverageDto` admits (the announcing replica validated it already). */
function isCoverage(v: unknown): v is DataCoverage {
  const inputs = (v as { inputs?: unknown } | null)?.inputs;
  return (
    Array.isArray(inputs) &&
    inputs.length <= MAX_COVERAGE_INPUTS &&
    inputs.every((raw: unknown) => {
      const i = raw as Record<string, unknown> | null;
      return (
        !!i &&
        typeof i.connector === 'string' &&
        i.connector.length <= 64 &&
        COVERAGE_KINDS.includes(i.kind as CoverageKind) &&
        (i.dates === undefined ||
          (Array.isArray(i.dates) && i.dates.length <= MAX_DATE_RANGES && areDateRanges(i.dates)))
      );
    })
  );
}

function isIdList(v: unknown): v is string[] {
  return (
    Array.isArray(v) &&
    v.length <= MAX_IDS &&
    v.every((x) => typeof x === 'string' && x.length <= 64)
  );
}
