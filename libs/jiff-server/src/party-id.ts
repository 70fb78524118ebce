/** The id JIFF reserves for the server acting as a party; never given to a client. */
export const SERVER_PARTY_ID = 's1';

/**
 * JIFF party ids are JSON numbers, but JS object keys make `2` and `"2"` the same party, and the
 * stock server accepted `"2"` and then corrupted its id arithmetic. Both spellings normalise to
 * the number; anything that is not an integer in 1..partyCount is undefined.
 */
export function normalisePartyId(raw: unknown, partyCount: number): number | undefined {
  let id: number;
  if (typeof raw === 'number') id = raw;
  else if (typeof raw === 'string' && /^[1-9][0-9]{0,8}$/.test(raw)) id = Number(raw);
  else return undefined;
  return Number.isInteger(id) && id >= 1 && id <= partyCount ? id : undefined;
}

/** True for `s1` and every other server-party spelling (`sK`). */
export function isServerPartyId(raw: unknown): boolean {
  return typeof raw === 'string' && /^s[0-9]+$/.test(raw);
}
