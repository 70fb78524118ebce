export type {
  OutputRelease,
  PersistOp,
  SealRecord,
  SessionAction,
  SessionRowState,
} from './actions.js';
export type { SessionEvent } from './events.js';
export { REFUSAL_CODES, type RefusalCode } from './refusal.js';
export type { StoredSession } from './restore.js';
export { DEFAULT_RULES, type SessionRules } from './session-config.js';
export { SessionCore, type SessionView } from './session-core.js';
export type { PartyDirectory, SessionRecord } from './session-state.js';
