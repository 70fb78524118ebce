export {
  AGENCY_ROLES,
  agencyById,
  agencyByParty,
  agencyByRole,
  type AgencyRole,
  type Consortium,
  type ConsortiumAgency,
  ConsortiumError,
  consortiumToJson,
  parseConsortium,
} from './consortium.js';
