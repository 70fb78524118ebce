export {
  AGENCY_ROLES,
  type AgencyRole,
  type AgencySignature,
  type Consortium,
  type ConsortiumAgency,
  ConsortiumError,
  type KeyEpoch,
  type KeyStatement,
  type RevocationStatement,
  type RotationStatement,
} from './consortium-types.js';
export {
  agencyById,
  agencyByParty,
  agencyByRole,
  CONSORTIUM_FORMAT_V2,
  consortiumToJson,
  genesisConsortium,
  keyHistoryToJson,
  parseConsortium,
  parseKeyHistory,
} from './consortium.js';
export {
  agencyEpochValidAt,
  epochValidAt,
  type KeyHolder,
  keyAt,
  keyByEpoch,
  type KeyRefusal,
  type KeyRefusalReason,
  type KeyValidity,
} from './key-history.js';
export {
  addRevocationSignature,
  KeyStatementError,
  type KeyStatementCode,
  keyStatementToJson,
  parseIsoTime,
  parseKeyStatement,
  REVOCATION_PURPOSE,
  ROTATION_POSSESSION_PURPOSE,
  ROTATION_PURPOSE,
  signRotation,
} from './key-statements.js';
export { applyStatement, type ApplyResult } from './apply-statement.js';
