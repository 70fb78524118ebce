import type { PartyNumber } from '#concord/transcript';
import type { SessionEvent } from './events.js';
import type { SessionContext } from './session-context.js';
import { engineOf } from './session-state.js';

type JiffRelay = Extract<SessionEvent, { type: 'jiff-relay' }>;

/** JIFF mode: a message the endpoint relayed, counted by digest for the transcript's records. */
export function jiffRelay(ctx: SessionContext, event: JiffRelay): void {
  if (ctx.phase.name !== 'computing' || engineOf(ctx.phase) !== 'jiff') return;
  const direction = `${event.from}>${event.to}`;
  let digests = ctx.state.jiffRelay.get(direction);
  if (!digests) {
    digests = new Set();
    ctx.state.jiffRelay.set(direction, digests);
  }
  if (digests.has(event.digest)) return; // a retransmission
  digests.add(event.digest);
  if (++ctx.state.jiffMessages > ctx.rules.maxJiffRelays) {
    const from = event.from as PartyNumber;
    ctx.refuse(from, 'flood', `party ${from} sent more JIFF messages than any plan needs`);
  }
}
