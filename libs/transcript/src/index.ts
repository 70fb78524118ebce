export { signSeal, verifySeal } from './seal.js';
export {
  appendEntry,
  entryHash,
  genesisHash,
  TRANSCRIPT_KINDS,
  type TranscriptEntry,
  type TranscriptEntryKind,
} from './transcript-entry.js';
export { type ChainProblem, verifyChain } from './verify-chain.js';
