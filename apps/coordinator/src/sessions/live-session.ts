import type { SessionPlan } from '#concord/protocol';
import type { AcceptanceDto, NoiseCommitDto, OutputValuesDto } from '#concord/wire';

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
  readonly results: Map<number, { digest: string; outputs?: OutputValuesDto[] }>;
  readonly sealed: Set<number>;
  head: string | undefined;
  timer: NodeJS.Timeout | undefined;
  finished: boolean;
}
