export {
  checkAcceptances,
  type SessionAcceptance,
  signAcceptance,
  verifyAcceptance,
} from './acceptance.js';
export {
  DEFAULT_CHUNK_BYTES,
  envelopeDigest,
  type OutboundEnvelope,
  type PendingEnvelope,
} from './envelope-chunks.js';
export { EngineError, type EngineErrorCode } from './engine-error.js';
export { DEFAULT_WORKER_BATCH, NativeSessionEngine } from './native-engine.js';
export { ownInputs } from './own-inputs.js';
export { type JoinMaterial } from './party-join.js';
export { type EngineOutput, type SessionEngine } from './session-engine.js';
export {
  type EnvelopeRecord,
  type NoiseCommitment,
  PartySession,
  type PartySessionOptions,
} from './party-session.js';
export {
  type OpenedOutput,
  outputDecimals,
  outputValues,
  resultDigest,
  safeIntegerDecimals,
  type SessionResult,
} from './session-result.js';
export { broadcastMap, reductionMap } from './grid-index.js';
export {
  type PublishedHeader,
  publishedHeaders,
  publishedOutputs,
  releaseDigestOf,
  releaseDigestOfOpened,
  releaseDigestOfVectors,
} from './published-release.js';
export { publishedVector } from './published-values.js';
export { type JiffSessionView, sealTranscript, type TranscriptSeal } from './transcript-check.js';
export { type InProcessParty, type InProcessRun, runSessionInProcess } from './in-process-run.js';
