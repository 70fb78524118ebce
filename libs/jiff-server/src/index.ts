export type {
  DeliveryRef,
  JiffAction,
  JiffClientEvent,
  JiffInbound,
  JiffMailboxEvent,
  JiffRelay,
  JiffResult,
} from './actions.js';
export { CRYPTO_LABELS, type CryptoLabel } from './dealer-material.js';
export { type JiffErrorCode, JiffServerError } from './jiff-error.js';
export { JiffServerCore, type JiffServerCoreOptions } from './jiff-server-core.js';
export { DEFAULT_JIFF_LIMITS, type JiffLimits } from './limits.js';
export { SERVER_PARTY_ID } from './party-id.js';
export type { ComputationRegistration } from './registry.js';
export { type RelayedEvent, relayDigest, relaySetDigest } from './relay-digest.js';
export type { CredentialVerifier } from './state.js';
export type { ComputationSummary, PartySummary } from './summary.js';
