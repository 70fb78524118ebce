export { signAuthChallenge, verifyAuthChallenge } from './auth-challenge.js';
export {
  ABORT_CODES,
  type AbortCode,
  AuthChallengeDto,
  AuthResultDto,
  SealRequestDto,
  SessionAbortedDto,
  SessionCommitmentsDto,
  SessionInviteDto,
  SessionKeysDto,
  SessionRefDto,
  SessionRequestDto,
  TranscriptEntryDto,
} from './coordinator-messages.js';
export { FromNode, NODE_NAMESPACE, ToNode, WireLimits } from './events.js';
export { JIFF_SOCKET_PATH, signJiffCredential, verifyJiffCredential } from './jiff-session.js';
export {
  AbortReportDto,
  AcceptanceDto,
  AuthResponseDto,
  DECLINE_CODES,
  type DeclineCode,
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
export { WireError } from './wire-error.js';
