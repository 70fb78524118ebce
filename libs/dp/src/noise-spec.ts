import { DpError } from './dp-error.js';
import { type Rational } from './rational.js';

/**
 * What one party samples per released cell: a discrete Gaussian share, or a Polya (distributed
 * discrete Laplace) share for h honest parties: the exact share parameters fixed in the session's
 * plan, and charged by the ledger, before any data flows (docs/privacy.md, 'Calibration').
 */
export type NoiseSpec =
  | { readonly mechanism: 'discrete-gaussian'; readonly shareSigma2: Rational }
  | {
      readonly mechanism: 'polya-laplace';
      readonly gamma: Rational;
      readonly honestParties: number;
    };

/** Refuses a spec that is not a proper distribution (it would otherwise loop or add no noise). */
export function validateNoiseSpec(spec: NoiseSpec): void {
  switch (spec.mechanism) {
    case 'discrete-gaussian':
      if (spec.shareSigma2.sign() <= 0) {
        throw new DpError('invalid-parameter', `noise spec: shareSigma2 must be > 0`);
      }
      return;
    case 'polya-laplace':
      if (spec.gamma.sign() <= 0) {
        throw new DpError('invalid-parameter', `noise spec: gamma must be > 0`);
      }
      if (!Number.isSafeInteger(spec.honestParties) || spec.honestParties < 1) {
        throw new DpError('invalid-parameter', `noise spec: honestParties must be an integer >= 1`);
      }
      return;
  }
}

/**
 * A canonical text key for a spec ("discrete-gaussian:80", "polya-laplace:1/8:2"): one pool per
 * parameter set, and a value the ledger can store and compare.
 */
export function noiseSpecKey(spec: NoiseSpec): string {
  switch (spec.mechanism) {
    case 'discrete-gaussian':
      return `discrete-gaussian:${spec.shareSigma2.toString()}`;
    case 'polya-laplace':
      return `polya-laplace:${spec.gamma.toString()}:${spec.honestParties}`;
  }
}
