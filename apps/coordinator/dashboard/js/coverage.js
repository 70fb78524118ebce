/**
 * Data coverage: the service dates the agencies' nodes announced they hold
 * (GET /catalogue/coverage), as the request form's date picker offers them.
 */

/**
 * @typedef {object} ProtocolCoverage
 * @property {string} id
 * @property {string} version
 * @property {number} windowDays  days a request covers from its date: 1, 7 (a week) or 30
 * @property {string[] | null} serviceDates  where a request may start: ranges `YYYY-MM-DD` or `YYYY-MM-DD/YYYY-MM-DD`
 * @property {boolean} complete  false: some agency's coverage is unknown
 * @property {{ input: string, connector: string, agencyId: string | null, kind: string, dates?: string[] }[]} inputs
 */

/**
 * The coverage of one protocol, or null when the coordinator does not offer it.
 * @param {import('./api.js').Api} api
 * @param {{ id: string, version: string }} protocol
 * @param {AbortSignal} signal
 * @returns {Promise<ProtocolCoverage | null>}
 */
export async function fetchProtocolCoverage(api, protocol, signal) {
  try {
    /** @type {{ protocols: ProtocolCoverage[] }} */
    const all = await api.get('/catalogue/coverage', { signal });
    return (
      all.protocols.find((p) => p.id === protocol.id && p.version === protocol.version) ?? null
    );
  } catch {
    return null;
  }
}

/**
 * The dates of canonical ranges, ascending, at most `limit` of them.
 * @param {readonly string[]} ranges
 * @param {number} limit
 * @returns {string[]}
 */
export function expandRanges(ranges, limit) {
  /** @type {string[]} */
  const out = [];
  for (const range of ranges) {
    const [from, to = from] = range.split('/');
    const end = Date.parse(`${to}T00:00:00Z`);
    for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < limit; t += 86_400_000)
      out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Whether canonical ranges include a date `YYYY-MM-DD` (ISO dates compare as strings).
 * @param {readonly string[]} ranges
 * @param {string} date
 */
export function rangesInclude(ranges, date) {
  return ranges.some((range) => {
    const [from, to = from] = range.split('/');
    return from <= date && date <= to;
  });
}

/**
 * Ranges in words: "2026-03-09 to 2026-03-15, 2026-03-20".
 * @param {readonly string[]} ranges
 */
export function describeRanges(ranges) {
  return ranges.map((r) => r.replace('/', ' to ')).join(', ');
}
