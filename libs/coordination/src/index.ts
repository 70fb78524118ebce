export type {
  Milestone,
  OutputRelease,
  PersistOp,
  SealRecord,
  SessionAction,
  SessionRowState,
} from './actions.js';
export type { ReportedOutput, SessionEvent, SessionEventType } from './events.js';
export { REFUSAL_CODES, type RefusalCode } from './refusal.js';
export { releaseOutputs } from './release.js';
export { decodeReportedValues } from './reported-values.js';
export type { StoredSession } from './restore.js';
export { DEFAULT_RULES, REPORTER, type SessionRules } from './session-config.js';
export { SessionCore, type SessionView } from './session-core.js';
export type { PartyDirectory, PhaseName, SessionRecord } from './session-state.js';
