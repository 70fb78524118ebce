export {
  type JiffClientConfig,
  type JiffClientOutcome,
  type JiffClientRun,
  type RelaySummary,
  runJiffClientSession,
} from './jiff-client-session.js';
export { JiffEngineError, type JiffEngineErrorCode } from './jiff-engine-error.js';
export { dealNoise, noiseCommitment, sharesFor } from './jiff-noise.js';
export { inThreadRunner, type JiffRun, type JiffRunner, workerRunner } from './jiff-runner.js';
export { JiffSessionEngine, type JiffSessionEngineOptions } from './jiff-session-engine.js';
export { loadStockClient, stockClientMissing } from './stock-jiff.js';
