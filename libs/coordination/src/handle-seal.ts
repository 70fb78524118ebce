import { verifySeal } from '#concord/transcript';
import type { SessionEvent } from './events.js';
import * as to from './node-messages.js';
import type { SessionContext } from './session-context.js';

type Seal = Extract<SessionEvent, { type: 'seal' }>;

/**
 * A party's signature over the released head. Each is written as it arrives; the third
 * completes the session (row and head in the same transaction), then the parties are told.
 */
export function seal(ctx: SessionContext, event: Seal): void {
  const { party } = event;
  const phase = ctx.phase;
  if (phase.name === 'aborting') return;
  if (phase.name !== 'sealing') {
    return ctx.refuse(party, 'out-of-turn', 'a seal before the results were released');
  }
  if (event.claimedParty !== party) {
    return ctx.refuse(party, 'wrong-party', `a seal for party ${event.claimedParty}`);
  }
  const recorded = ctx.state.seals.get(party);
  if (recorded) {
    if (recorded.headHash !== event.headHash || recorded.signature !== event.signature)
      ctx.refuse(party, 'equivocation', 'a second, different seal');
    return;
  }
  const pinned = ctx.parties.get(party);
  // Sealed with the key the party's acceptance named (checked valid when it was recorded).
  const epoch = ctx.state.acceptances.get(party)?.keyEpoch ?? 0;
  const key =
    pinned?.keys?.find((k) => k.epoch === epoch)?.publicKey ??
    (epoch === 0 ? pinned?.identityKey : undefined);
  if (
    !pinned ||
    !key ||
    event.headHash !== phase.head ||
    !verifySeal(key, ctx.id, event.headHash, event.signature)
  ) {
    return ctx.refuse(
      party,
      'bad-signature',
      'the seal is not this agency’s signature over the released transcript head',
    );
  }
  const record = {
    party,
    agencyId: pinned.agencyId,
    headHash: event.headHash,
    signature: event.signature,
  };
  ctx.state.seals.set(party, record);
  ctx.write({ op: 'seal', seal: record });
  const first = ctx.state.seals.size === 1;
  if (ctx.state.seals.size === 3) {
    ctx.enter({ name: 'completed' }, { transcriptHead: phase.head, completedAt: ctx.now });
  }
  ctx.commit();
  if (first) ctx.milestone('seal-recorded');
  if (ctx.state.seals.size < 3) return;
  ctx.sendAll(to.completed(ctx.id));
  ctx.log('info', 'session completed');
  ctx.milestone('completed');
  ctx.emit({ type: 'finished', outcome: 'completed' });
}
