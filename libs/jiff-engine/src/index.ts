export {
  type JiffClientConfig,
  type JiffClientOutcome,
  type JiffClientRun,
  jiffKeyText,
  type RelaySummary,
  runJiffClientSession,
} from './jiff-client-session.js';
export { JiffEngineError, type JiffEngineErrorCode } from './jiff-engine-error.js';
export { JiffNodeSession, type JiffNodeSessionOptions } from './jiff-node-session.js';
export { dealNoise, noiseCommitment, sharesFor } from './jiff-noise.js';
export { inThreadRunner, type JiffRun, type JiffRunner, workerRunner } from './jiff-runner.js';
export { loadStockClient, stockClientMissing } from './stock-jiff.js';
