import { parsePayload } from './payload.js';
import { dropComputation } from './registry.js';
import { requireParty } from './require-party.js';
import type { JiffContext } from './state.js';

/**
 * `free` (docs/jiff.md, 9.6): the party is done. When every party of the roster has freed, all
 * state of the computation goes (keys, mailboxes, dealer cache, registration).
 */
export function handleFree(ctx: JiffContext, socketId: string, args: readonly unknown[]): void {
  const { computation, party } = requireParty(ctx, socketId);
  parsePayload(args, ctx.limits);
  party.freed = true;
  computation.lastActivity = ctx.now();
  for (const p of computation.parties.values()) if (!p.freed) return;
  dropComputation(ctx.state, computation.id);
}
