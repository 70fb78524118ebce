export { FieldError, type FieldErrorCode } from './field-error.js';
export {
  add,
  addInto,
  combineSmall,
  fromBigInts,
  fromSafeIntegers,
  type FieldVector,
  gather,
  groupedInnerProducts,
  groupedSums,
  linearCombination,
  mul,
  randomVector,
  scale,
  sub,
  toBigInts,
  toSafeIntegers,
  vectorOf,
  vectorsEqual,
  zeros,
} from './field-vector.js';
export { decodeFixed, encodeFixed } from './fixed-point.js';
export { JIFF_PRIMES, jiffPrimeFor } from './jiff-prime.js';
export {
  fieldById,
  fieldForMagnitude,
  fieldWithLimbs,
  modInverse,
  mulMod,
  type PrimeField,
  RNS_PRIMES,
} from './prime-field.js';
export { firstNonCanonical, vectorFromBytes, vectorToBytes } from './vector-codec.js';
