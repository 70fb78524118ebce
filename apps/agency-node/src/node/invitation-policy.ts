import { type Consortium, keyAt } from '#concord/consortium';
import {
  type Catalogue,
  compileSessionPlan,
  planHash,
  ProtocolError,
  type SessionPlan,
} from '#concord/protocol';
import type { DeclineCode, NodeEngine, SessionInviteDto } from '#concord/wire';

export type InvitationDecision =
  | { readonly ok: true; readonly plan: SessionPlan }
  | { readonly ok: false; readonly code: DeclineCode; readonly message: string };

/**
 * Whether this agency takes part in an invited session, decided before it reads any data: the
 * session must ask for this node's engine, run a protocol version the agency approved, and name
 * the plan this node compiles itself from its own catalogue copy (it never takes the
 * coordinator's plan on trust). The ledger's cap is checked when it charges, after the inputs are
 * read and just before it accepts.
 */
export function decideInvitation(
  invite: SessionInviteDto,
  node: {
    readonly engine: NodeEngine;
    readonly approvedProtocols: readonly string[];
    readonly catalogue: Catalogue;
    readonly consortium: Consortium;
    /**
     * This agency's party and the epoch of the identity key it holds, and the time now (epoch
     * ms): it takes part only if that key is in force now, and every peer has one.
     */
    readonly identity?: {
      readonly party: number;
      readonly keyEpoch: number;
      readonly now: number;
    };
  },
): InvitationDecision {
  const { request } = invite;
  if (node.identity) {
    const { party, keyEpoch, now } = node.identity;
    for (const p of [1, 2, 3]) {
      const key = keyAt(node.consortium, p, now);
      if (p === party && key.ok && key.key.epoch !== keyEpoch) {
        return decline(
          'key-not-valid',
          `this node holds key epoch ${keyEpoch}, but epoch ${key.key.epoch} is in force now: restart it with the current key`,
        );
      }
      if (!key.ok) {
        return decline(
          'key-not-valid',
          p === party
            ? `this node's own key is not in force: ${key.refusal.message}`
            : `party ${p} has no key in force in this agency's consortium file: ${key.refusal.message}`,
        );
      }
    }
  }
  const wanted = invite.engine ?? 'native';
  if (wanted !== node.engine) {
    return decline(
      'engine-mismatch',
      `this node runs the ${node.engine} engine; the session asks for ${wanted}`,
    );
  }
  if (!node.approvedProtocols.includes(request.protocolHash)) {
    return decline(
      'protocol-not-approved',
      `protocol ${request.protocolHash} is not on this agency's approved list`,
    );
  }
  const entry = node.catalogue.byProtocolHash(request.protocolHash);
  if (!entry)
    return decline('protocol-not-approved', 'approved protocol missing from the local catalogue');
  let plan: SessionPlan;
  try {
    const parties = Object.fromEntries(
      node.consortium.agencies.map((a) => [a.role, a.party]),
    ) as SessionPlan['parties'];
    plan = compileSessionPlan(entry.analysis, {
      sessionId: invite.sessionId,
      parameters: request.parameters,
      axisValues: request.axisValues,
      budget: request.budget,
      parties,
    });
  } catch (e) {
    if (e instanceof ProtocolError) return decline('plan-mismatch', e.message);
    throw e;
  }
  if (planHash(plan) !== invite.planHash)
    return decline('plan-mismatch', 'the plan this node compiled differs from the invitation');
  if (plan.join && node.engine !== 'native') {
    return decline(
      'engine-mismatch',
      `protocol ${plan.protocol.id} joins card tokens privately, which only the native engine runs`,
    );
  }
  return { ok: true, plan };
}

function decline(code: DeclineCode, message: string): InvitationDecision {
  return { ok: false, code, message };
}
