import type { SessionPlan } from '#concord/protocol';
import type { AcceptanceDto, NodeEngine, NoiseCommitDto } from '#concord/wire';

/** JIFF mode: the prime of the computation and what the JIFF endpoint relayed for it. */
export interface LiveJiffSession {
  readonly prime: string;
  /** `${from}>${to}` → relay digests of the distinct messages relayed in that direction. */
  readonly relay: Map<string, Set<string>>;
  messages: number;
  /** Set once the relay records are in the transcript: later (repeated) relays are not counted. */
  recorded: boolean;
}

/** What the coordinator holds in memory while a session runs (all of it also in the transcript). */
export interface LiveSession {
  readonly id: string;
  readonly plan: SessionPlan;
  readonly planHash: string;
  readonly requestId: string;
  /** Multiplication rounds of the plan (for validating round names). */
  readonly levels: number;
  readonly acceptances: Map<number, AcceptanceDto>;
  readonly commitments: Map<number, NoiseCommitDto>;
  /** (round, from, to, chunk) of every envelope relayed, to refuse replays. */
  readonly relayed: Set<string>;
  /** Once an `open` envelope has moved, results may exist somewhere: no refund after that. */
  opened: boolean;
  /** Each party's result digest; the reporter's also carries its values as decimal strings. */
  /** Per party its result digest; the reporter's also carries its checked values, as text. */
  readonly results: Map<number, { digest: string; texts?: readonly string[] }>;
  readonly sealed: Set<number>;
  head: string | undefined;
  timer: NodeJS.Timeout | undefined;
  finished: boolean;
  /** Chosen when the nodes are invited: the engine all three connected nodes announced. */
  engine?: NodeEngine;
  /** JIFF mode, once the JIFF computation is registered. */
  jiff?: LiveJiffSession;
}
