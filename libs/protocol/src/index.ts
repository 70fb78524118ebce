export {
  type AnalyzedOutput,
  analyzeProtocol,
  contributionSensitivity,
  type ProtocolAnalysis,
  type Sensitivity,
} from './analyze-protocol.js';
export { type AxisSelection, selectAxisValues } from './axis-selection.js';
export { compareAxisValues } from './axis-value-order.js';
export { Catalogue, type CatalogueEntry, readCatalogueDirectory } from './catalogue.js';
export { calibrateOutputNoise, type OutputNoise } from './noise-calibration.js';
export { parseProtocolDefinition } from './parse-protocol.js';
export type {
  AxisDefinition,
  DerivedDefinition,
  Expression,
  InputDefinition,
  OutputDefinition,
  JoinDefinition,
  PrivacyWindow,
  ProtocolDefinition,
} from './protocol-definition.js';
export { PRIVACY_WINDOWS } from './protocol-definition.js';
export { JOIN_MATCH_CONNECTOR } from './parse-join.js';
export { ProtocolError, type ProtocolErrorCode } from './protocol-error.js';
export { protocolHash } from './protocol-hash.js';
export type { ProgramNode, TypedNode } from './program.js';
export {
  compileSessionPlan,
  MAX_PLAN_ELEMENTS,
  type PlanAxis,
  planAxisLookup,
  planAxisSize,
  planAxisValues,
  type PlanInput,
  type PlanJoin,
  type PlanNode,
  type PlanNoise,
  type PlanOutput,
  planHash,
  planNoiseOf,
  type PlanRequest,
  planServiceDates,
  type SessionPlan,
} from './session-plan.js';
export { type OutputErrorBars, outputErrorBars, outputNoiseLaw } from './output-release.js';
export {
  type BudgetForHalfWidth,
  budgetForHalfWidth,
  type OutputAccuracy,
  type ProtocolAccuracy,
  protocolAccuracy,
} from './output-accuracy.js';
