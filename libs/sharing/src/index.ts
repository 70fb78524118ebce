export { type LagrangeTable, lagrangeTable } from './lagrange.js';
export {
  finishMultiplication,
  type MultiplicationStart,
  type MultiplicationState,
  startInnerProducts,
  startMultiplication,
} from './multiplication.js';
export { isPartyIndex, othersOf, PARTIES, type PartyIndex } from './parties.js';
export {
  type Dealing,
  dealVector,
  expandSeedShare,
  firstInconsistency,
  openChecked,
  reconstructPair,
  SEED_BYTES,
  type ShareMessage,
  shareFromMessage,
  type Shares,
  shareVector,
} from './shamir.js';
export { SharingError, type SharingErrorCode } from './sharing-error.js';
