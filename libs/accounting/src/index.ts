export { AccountingError, type AccountingErrorCode } from './accounting-error.js';
export {
  type BudgetDisplay,
  type PrivacyCharge,
  ZERO_CHARGE,
  addCharges,
  budgetDisplay,
  chargeEpsilon,
  privacyCharge,
  remainingBudget,
  remainingDisplay,
  storedDecimal,
  sumCharges,
  wouldExceed,
} from './budget.js';
export {
  intervalCoverage,
  intervalHalfWidth,
  noiseTailBound,
  smallestHalfWidth,
  totalNoiseVariance,
} from './confidence-interval.js';
export { XI_FLOOR, ddgTau, ddgXi } from './ddg-correction.js';
export {
  ceilToDecimalPlaces,
  ceilToSignificantDigits,
  floorToDecimalPlaces,
  floorToSignificantDigits,
  toDecimalString,
} from './decimal.js';
export { discreteGaussianDelta } from './discrete-gaussian-delta.js';
export {
  discreteGaussianSumTail,
  discreteGaussianSumVariance,
  discreteGaussianVariance,
} from './discrete-gaussian-sum.js';
export { discreteLaplaceTail, discreteLaplaceVariance } from './discrete-laplace-tail.js';
export {
  type NumericInput,
  nextDown,
  nextUp,
  rationalFromFloat,
  rationalToFloatDown,
  rationalToFloatUp,
} from './float-bounds.js';
export {
  MAX_WINDOW_DAYS,
  windowBuckets,
  windowCovers,
  windowDays,
  windowFor,
} from './ledger-window.js';
export {
  type BucketTally,
  type BudgetExhausted,
  type ChargeDecision,
  type ChargeRequest,
  type IdempotencyConflict,
  type IdempotencyDecision,
  type KeyProgress,
  type LedgerEntry,
  type LedgerLimits,
  type LimitDecision,
  chargeStatusOf,
  checkIdempotency,
  checkLimits,
  decideCharge,
  tallyBucket,
} from './ledger-policy.js';
export {
  negativeBinomialDifferenceTail,
  negativeBinomialDifferenceVariance,
} from './negative-binomial-difference.js';
export {
  type TotalNoiseLaw,
  discreteGaussianSumNoise,
  discreteLaplaceNoise,
  polyaSumNoise,
  releasedNoiseLaw,
} from './noise-law.js';
export {
  type ChargeStatus,
  type KeptCode,
  KEPT_CODES,
  type RefundDecision,
  type RefundEvidence,
  type SessionOutcome,
  decideRefund,
  isKept,
} from './refund-rule.js';
export {
  PRIVACY_DOC_LINK,
  type ReleasePrivacy,
  type ReleasePrivacyOutput,
  releasePrivacy,
} from './release-privacy.js';
export {
  type ReleaseCalibration,
  type ReleasePolicy,
  type ReleaseSummary,
  describeRelease,
  releaseCharge,
} from './release-summary.js';
export { sliceHalfWidth, sliceNoiseTail } from './slice-sum-tail.js';
export { type TailBound } from './tail-bound.js';
export { cdpDelta, cdpEpsilon, cdpEpsilonSimple, cdpRho } from './zcdp-conversion.js';
