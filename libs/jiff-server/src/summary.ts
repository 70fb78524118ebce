import type { ComputationState } from './state.js';

export interface PartySummary {
  readonly partyId: number;
  readonly claimed: boolean;
  readonly connected: boolean;
  readonly freed: boolean;
  readonly pendingMessages: number;
  readonly pendingBytes: number;
}

/** Counts and flags only: safe to log and to show operators. */
export interface ComputationSummary {
  readonly computationId: string;
  readonly partyCount: number;
  readonly expiresAt: number;
  readonly lastActivity: number;
  readonly dealerEntries: number;
  readonly parties: readonly PartySummary[];
}

export function summarise(computation: ComputationState): ComputationSummary {
  return {
    computationId: computation.id,
    partyCount: computation.partyCount,
    expiresAt: computation.expiresAt,
    lastActivity: computation.lastActivity,
    dealerEntries: computation.dealer.size,
    parties: [...computation.parties.values()].map((p) => ({
      partyId: p.id,
      claimed: p.publicKey !== undefined,
      connected: p.socketId !== undefined,
      freed: p.freed,
      pendingMessages: p.mailbox.size,
      pendingBytes: p.mailboxBytes,
    })),
  };
}
