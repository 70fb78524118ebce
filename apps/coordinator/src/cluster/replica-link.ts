import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Namespace } from 'socket.io';
import { describeError } from '#concord/errors';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import { decodeReplicaPayload, encodeReplicaPayload } from './replica-codec.js';

/** What replicas tell each other. */
export type ReplicaMessageKind = 'presence' | 'party-event';

type Handler = (payload: unknown, from: string) => void;

const CHANNEL = 'concord:replica';

/**
 * The coordinator replicas' channel to each other, over the socket.io Redis adapter of the
 * agency-node namespace (`serverSideEmit`: delivered to every other replica, in the order one
 * replica sent them). Without REDIS_URL there is no other replica: nothing is sent and
 * `clustered` is false.
 *
 * Redis is trusted for availability, not for integrity: a writer on it could inject presence or
 * party messages. Such messages can stall or abort a session but not forge one: acceptances,
 * results and seals are signed by the agencies' keys, and envelopes are authenticated between
 * the nodes (docs/security.md).
 */
@Injectable()
export class ReplicaLink {
  readonly replica: string;
  private namespace: Namespace | undefined;
  private readonly handlers = new Map<ReplicaMessageKind, Handler[]>();

  constructor(
    config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.replica = config.REPLICA_ID ?? 'coordinator';
  }

  get clustered(): boolean {
    return this.namespace !== undefined;
  }

  /** Called by the node gateway once its namespace exists, when it runs over Redis. */
  attach(namespace: Namespace): void {
    this.namespace = namespace;
    namespace.on(CHANNEL, (kind: unknown, from: unknown, text: unknown) => {
      if (typeof kind !== 'string' || typeof from !== 'string' || from === this.replica) return;
      if (typeof text !== 'string') return;
      try {
        const payload = decodeReplicaPayload(text);
        for (const handle of this.handlers.get(kind as ReplicaMessageKind) ?? [])
          handle(payload, from);
      } catch (e) {
        this.logger.warn({ kind, from, err: describeError(e) }, 'replica message refused');
      }
    });
  }

  broadcast(kind: ReplicaMessageKind, payload: unknown): void {
    this.namespace?.serverSideEmit(CHANNEL, kind, this.replica, encodeReplicaPayload(payload));
  }

  on(kind: ReplicaMessageKind, handler: Handler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  /** Emits to a party's node wherever it is connected (its socket joined the party's room). */
  toParty(party: number, event: string, payload: unknown): void {
    this.namespace?.to(partyRoom(party)).emit(event, payload);
  }
}

export function partyRoom(party: number): string {
  return `party:${party}`;
}
