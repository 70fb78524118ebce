export {
  type EnvelopeBody,
  type JiffRelayBody,
  type JiffStartedBody,
  type LedgerRefundedBody,
  type NoiseCommittedBody,
  type PartyAbortedBody,
  type PartyAcceptedBody,
  type PartyNumber,
  type PartyResultBody,
  type ReleasedOutputSummary,
  type SessionAbortedBody,
  type SessionCreatedBody,
  type SessionResultsBody,
  TRANSCRIPT_KINDS,
  type TranscriptBodies,
  type TranscriptEntryKind,
} from './entry-bodies.js';
export { parseTranscriptEntries } from './parse-entries.js';
export {
  type PublishedOutput,
  type PublishedOutputHeader,
  releaseDigest,
  releaseDigestOfBytes,
  releaseDigestOfLimbs,
  type ReleaseDigestVersion,
} from './release-digest.js';
export { signSeal, verifySeal } from './seal.js';
export {
  appendEntry,
  entriesOf,
  entryHash,
  genesisHash,
  type TranscriptEntry,
} from './transcript-entry.js';
export { TranscriptError, type TranscriptErrorCode } from './transcript-error.js';
export { type ChainProblem, verifyChain } from './verify-chain.js';
