// The DTO classes' decorators (class-transformer, class-validator) need the metadata polyfill.
import 'reflect-metadata';
export { signAuthChallenge, verifyAuthChallenge } from './auth-challenge.js';
export {
  ABORT_CODES,
  type AbortCode,
  AUTH_REFUSALS,
  type AuthRefusal,
  AuthChallengeDto,
  AuthResultDto,
  RecordedFromPartyDto,
  SealRequestDto,
  SessionAbortedDto,
  SessionCommitmentsDto,
  SessionCompletedDto,
  SessionInviteDto,
  SessionKeysDto,
  SessionRefDto,
  SessionRequestDto,
  SessionResumeDto,
  TranscriptEntryDto,
} from './coordinator-messages.js';
export { checkJsonText, type JsonTextLimits, NODE_FRAME_TEXT } from './check-json-text.js';
export { checkShape, NODE_MESSAGE_SHAPE, type ShapeLimits } from './check-shape.js';
export {
  areDateRanges,
  COVERAGE_KINDS,
  type CoverageKind,
  type DataCoverage,
  expandDateRanges,
  type InputCoverage,
  InputCoverageDto,
  intersectDateRanges,
  MAX_COVERAGE_INPUTS,
  MAX_DATE_RANGES,
  NodeCoverageDto,
  rangesInclude,
  toDateRanges,
  windowStarts,
} from './data-coverage.js';
export { dataPhaseStarted } from './data-phase.js';
export {
  asBytes,
  type EnvelopeRoute,
  envelopeSlot,
  isRoundOfPlan,
  MAX_ENVELOPE_CHUNKS,
  parseEnvelopeRoute,
  type PartyIndexOnWire,
  roundLevel,
} from './envelope-route.js';
export { FromNode, MAX_AUTH_SESSION_IDS, NODE_NAMESPACE, ToNode, WireLimits } from './events.js';
export { JIFF_SOCKET_PATH, signJiffCredential, verifyJiffCredential } from './jiff-session.js';
export { isLoopbackHost } from './loopback-host.js';
export {
  AbortReportDto,
  AcceptanceDto,
  AuthResponseDto,
  DECLINE_CODES,
  type DeclineCode,
  EnvelopeAckDto,
  HeartbeatDto,
  NODE_ENGINES,
  type NodeEngine,
  NoiseCommitDto,
  OutputValuesDto,
  ResultReportDto,
  SealDto,
  SessionAcceptDto,
  SessionDeclineDto,
} from './node-messages.js';
export { validateMessage } from './validate-message.js';
export { WireError, type WireErrorCode } from './wire-error.js';
