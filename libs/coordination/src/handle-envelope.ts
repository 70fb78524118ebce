import { envelopeSlot, isRoundOfPlan, ToNode } from '#concord/wire';
import type { SessionEvent } from './events.js';
import type { SessionContext } from './session-context.js';
import { engineOf } from './session-state.js';

type Envelope = Extract<SessionEvent, { type: 'envelope' }>;
type Ack = Extract<SessionEvent, { type: 'envelope-ack' }>;

/**
 * Relays one envelope: its route must fit the session, its record is written before its bytes
 * move (so every relayed envelope — an opening included — is in the transcript before any party
 * can act on it), and a resend of a recorded envelope (after a reconnection) is relayed again
 * without a second record. A different envelope for a recorded slot is equivocation.
 */
export function envelope(ctx: SessionContext, event: Envelope): void {
  const { party, route, digest, bytes } = event;
  const phase = ctx.phase;
  if (phase.name === 'aborting' || phase.name === 'sealing') return;
  if (phase.name !== 'computing') {
    return ctx.refuse(party, 'out-of-turn', 'an envelope before the go-ahead');
  }
  if (engineOf(phase) === 'jiff') {
    return ctx.refuse(party, 'wrong-engine', 'a JIFF-mode session relays no envelopes');
  }
  if (route.from !== party) {
    return ctx.refuse(party, 'wrong-party', `an envelope from party ${route.from}`);
  }
  const slot = envelopeSlot(route);
  const recorded = ctx.state.envelopes.get(slot);
  if (recorded !== undefined) {
    if (recorded !== digest)
      return ctx.refuse(party, 'equivocation', `a different envelope for ${slot}`);
    return ctx.relay(route.to, bytes);
  }
  const levels = Math.max(0, ...ctx.record.plan.nodes.map((n) => n.level));
  if (!isRoundOfPlan(route.round, levels, ctx.record.plan.join !== undefined)) {
    return ctx.refuse(party, 'bad-envelope', `round ${route.round} is not a round of this plan`);
  }
  const stream = `${route.round}|${route.from}|${route.to}`;
  const chunks = ctx.state.chunking.get(stream);
  if (chunks !== undefined && chunks !== route.chunks) {
    return ctx.refuse(party, 'bad-envelope', `the chunk count of ${stream} changed`);
  }
  const firstOfRound =
    (route.round === 'input' || route.round === 'open') &&
    ![...ctx.state.chunking.keys()].some((k) => k.startsWith(`${route.round}|`));
  ctx.state.chunking.set(stream, route.chunks);
  ctx.state.envelopes.set(slot, digest);
  ctx.append('envelope', {
    round: route.round,
    from: route.from,
    to: route.to,
    chunk: route.chunk,
    chunks: route.chunks,
    bytes: bytes.byteLength,
    digest,
  });
  ctx.relay(route.to, bytes);
  if (firstOfRound) ctx.milestone(route.round === 'input' ? 'input-relayed' : 'open-relayed');
}

/**
 * A receiver acknowledged an envelope: relayed to its sender, which may then forget it. Nothing is
 * recorded (an acknowledgement only saves a resend).
 */
export function envelopeAck(ctx: SessionContext, event: Ack): void {
  const { party, ack } = event;
  if (ctx.phase.name !== 'computing' && ctx.phase.name !== 'sealing') return;
  if (ack.to !== party || ack.from === party) {
    return ctx.refuse(party, 'wrong-party', 'an acknowledgement of an envelope it did not receive');
  }
  ctx.send(ack.from, { event: ToNode.sessionEnvelopeAck, payload: { sessionId: ctx.id, ...ack } });
}
