import type { RelaySummary } from './jiff-client-session.js';
import { type JiffEngineErrorCode } from './jiff-engine-error.js';

/** What the JIFF worker posts to the node. */
export type JiffWorkerMessage =
  | {
      readonly type: 'result';
      readonly outputs: bigint[][];
      readonly relay: [string, RelaySummary][];
    }
  | { readonly type: 'finished' }
  | {
      readonly type: 'failed';
      readonly code: JiffEngineErrorCode;
      readonly message: string;
      readonly suspects: number[];
    };
