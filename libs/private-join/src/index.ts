export {
  blind,
  decodeElement,
  GROUP_ORDER,
  type GroupElement,
  hashToken,
  POINT_BYTES,
  PRIVATE_JOIN_DST,
  randomExponent,
} from './group.js';
export {
  beginEnrolmentHolder,
  enrolmentHolderAnswer,
  type EnrolmentHolderState,
  type EnrolmentHolderStep,
  enrolmentHolderReceive,
  startEnrolmentHolder,
} from './enrolment-holder.js';
export { dealIndicators, indicatorVector, shareIndicators } from './indicator-shares.js';
export { type InProcessJoin, runJoinInProcess } from './in-process.js';
export { DEFAULT_JOIN_PARTIES, type JoinOutgoing, type JoinRole } from './join-roles.js';
export {
  type JoinMatch,
  matcherReceive,
  matcherTake,
  type MatcherState,
  type MatcherStep,
  startMatcher,
} from './matcher.js';
export {
  encodeJoinMessage,
  JOIN_HEADER_BYTES,
  JOIN_MESSAGE_VERSION,
  type JoinList,
  type JoinMessageKind,
  joinMessageKind,
  maxJoinMessageBytes,
  parseJoinMessage,
  type RawJoinList,
  readJoinList,
} from './messages.js';
export { type JoinTask, groupTask, listTask, runTask } from './join-task.js';
export {
  batchFailure,
  batchLength,
  computeGroupBatch,
  type GroupBatch,
  type GroupBatchFailure,
} from './group-batch.js';
export { GroupWorkerPool, type GroupWorkers } from './group-workers.js';
export { PrivateJoinError, type PrivateJoinErrorCode } from './private-join-error.js';
export { paddedListSize, padTokenList } from './padding.js';
export { permute, randomPermutation } from './shuffle.js';
export {
  alignToJoinOrder,
  beginTapHolder,
  startTapHolder,
  tapHolderAnswer,
  type TapHolderStart,
  type TapHolderState,
  type TapHolderStep,
  tapHolderReceive,
} from './tap-holder.js';
export { checkTokenList, hashTokenList } from './tokens.js';
