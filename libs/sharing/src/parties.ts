/** Concord runs three compute parties; party k's Shamir evaluation point is x = k. */
export type PartyIndex = 1 | 2 | 3;

export const PARTIES: readonly PartyIndex[] = Object.freeze([1, 2, 3] as const);

export function isPartyIndex(value: unknown): value is PartyIndex {
  return value === 1 || value === 2 || value === 3;
}

/** The two parties other than `self`, in ascending order. */
export function othersOf(self: PartyIndex): [PartyIndex, PartyIndex] {
  const [a, b] = PARTIES.filter((p) => p !== self);
  return [a, b];
}
