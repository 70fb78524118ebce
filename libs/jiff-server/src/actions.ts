import type { JiffErrorCode } from './jiff-error.js';
import type { RelayedEvent } from './relay-digest.js';

/** Events a JIFF client sends (docs/jiff.md, 9.2). */
export type JiffClientEvent =
  'initialization' | 'share' | 'open' | 'custom' | 'crypto_provider' | 'free';

/** Server events that go through a mailbox and wait for the client's acknowledgement. */
export type JiffMailboxEvent = 'public_keys' | 'share' | 'open' | 'custom' | 'crypto_provider';

/** Identifies one mailbox message; the host hands it back when the client acknowledges it. */
export interface DeliveryRef {
  readonly computationId: string;
  readonly partyId: number;
  /** Unique for the lifetime of the core (never reused, even across computations). */
  readonly seq: number;
}

/** What the host observed on its transport. */
export type JiffInbound =
  /** A client event; `args` are the event's arguments without the acknowledgement callback. */
  | {
      readonly kind: 'message';
      readonly socketId: string;
      readonly event: string;
      readonly args: readonly unknown[];
    }
  /** The client acknowledged a `deliver` action with a truthy value. */
  | { readonly kind: 'delivered'; readonly socketId: string; readonly ref: DeliveryRef }
  /** The socket is gone. */
  | { readonly kind: 'disconnect'; readonly socketId: string };

/** What the host must do on its transport, in order. */
export type JiffAction =
  /** Plain emit, no acknowledgement requested (`initialization` response, `error`). */
  | {
      readonly kind: 'emit';
      readonly socketId: string;
      readonly event: 'initialization' | 'error';
      readonly payload: string;
    }
  /** Emit requesting an acknowledgement; on a truthy ack feed back `{kind: 'delivered', ref}`. */
  | {
      readonly kind: 'deliver';
      readonly socketId: string;
      readonly event: JiffMailboxEvent;
      readonly payload: string;
      readonly ref: DeliveryRef;
    }
  /** Close the socket (server side, so the client does not reconnect). */
  | { readonly kind: 'disconnect'; readonly socketId: string; readonly reason: JiffErrorCode };

/**
 * A message the server relayed from one party to another, for the host's records: who, which
 * event, and its `relayDigest` (never the payload).
 */
export interface JiffRelay {
  readonly computationId: string;
  readonly from: number;
  readonly to: number;
  readonly event: RelayedEvent;
  readonly digest: string;
}

/** The answer to one inbound event. */
export interface JiffResult {
  readonly actions: readonly JiffAction[];
  /**
   * Whether the event was valid and handled: the value to acknowledge a client event with
   * (every event except `initialization`). A refused event is acknowledged with `false`, so the
   * stock client keeps it in its outgoing mailbox instead of believing it was delivered.
   */
  readonly accepted: boolean;
  /** Why the event was refused (set exactly when `accepted` is false for a client event). */
  readonly refusal?: JiffErrorCode;
  /** Set when the event was a `share`, `open` or `custom` message the server relayed. */
  readonly relay?: JiffRelay;
}
