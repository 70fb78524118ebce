import type { AgencyRole } from '#concord/consortium';

/**
 * A catalogue protocol as declared in `protocols/*.json`: parameters and a composition of engine
 * operations, nothing else. The canonical hash of this object is what agencies approve.
 */
export interface ProtocolDefinition {
  readonly id: string;
  readonly version: string;
  readonly title: string;
  readonly summary: string;
  readonly parameters: readonly ParameterDefinition[];
  readonly privacyUnit: PrivacyUnit;
  readonly axes: readonly AxisDefinition[];
  readonly inputs: readonly InputDefinition[];
  readonly outputs: readonly OutputDefinition[];
  readonly derived: readonly DerivedDefinition[];
  readonly privacy: PrivacyDefinition;
  /** Present when the protocol joins two agencies' card tokens privately (`join-definition.ts`). */
  readonly join?: JoinDefinition;
  /** `auto` picks the smallest field that holds every output; an explicit id pins one. */
  readonly field: string;
}

/**
 * A private join on card tokens (libs/private-join): the tap holder's per-card rows are laid out
 * along `axis` (a range axis 1..capacity, in the tap holder's secret join order, padded with
 * empty rows), the enrolment holder contributes only its token list to the join, and the
 * matcher's input `matcher.input` (axes `[axis]`, cells 0/1) is the match indicator the join
 * produces — no connector reads it.
 */
export interface JoinDefinition {
  readonly axis: string;
  readonly tapHolder: { readonly party: AgencyRole; readonly connector: string };
  readonly enrolmentHolder: { readonly party: AgencyRole; readonly connector: string };
  readonly matcher: { readonly party: AgencyRole; readonly input: string };
}

export interface ParameterDefinition {
  readonly name: string;
  readonly type: 'date';
  readonly description: string;
}

/**
 * The privacy-unit windows a protocol may declare, and the consecutive days each covers from the
 * request's `serviceDate` (the ledger's spans go up to 31 days: `#concord/accounting`).
 */
export const PRIVACY_WINDOWS = {
  'service-day': 1,
  'service-week': 7,
  'service-30-days': 30,
} as const;
export type PrivacyWindow = keyof typeof PRIVACY_WINDOWS;

/** Who is protected and over what window (docs/privacy.md, 'The promise'). */
export interface PrivacyUnit {
  readonly entity: string;
  /**
   * What a rider's contribution is bounded over, and which ledger buckets a request charges: one
   * service day, or the seven (`service-week`) or thirty (`service-30-days`) days from the
   * request's `serviceDate` (every one of them charged).
   */
  readonly window: PrivacyWindow;
  /** Dataset scope of the privacy ledger, e.g. `fares-and-ridership`. */
  readonly scope: string;
}

/** A public dimension of the grid the agencies aggregate onto. */
export interface AxisDefinition {
  readonly name: string;
  /** Where its values come from: public reference data, or an integer range. */
  readonly source: { readonly public: string } | { readonly range: readonly [number, number] };
  readonly maxSize: number;
}

export interface InputDefinition {
  readonly name: string;
  readonly party: AgencyRole;
  /** The node connector that reads this input from the agency's own data. */
  readonly connector: string;
  readonly axes: readonly string[];
  readonly unit: string;
  /** Every cell is clipped to [min, max] before sharing; nodes refuse to share values outside. */
  readonly cell: { readonly min: number; readonly max: number };
  /**
   * What one privacy unit may contribute: at most `total` in sum over all cells and `perCell` in
   * any one cell (`rows`: at most that many source rows per unit). Absent when the input does not
   * depend on individuals (e.g. published zone indicators).
   */
  readonly contribution?: {
    readonly total: number;
    readonly perCell: number;
    readonly rows?: number;
    /**
     * For a privacy unit of several days (`service-week`, `service-30-days`): what it may
     * contribute on any one of its days (`total`, at most the window's; `rows` source rows). The
     * sensitivity follows from the window's `total` and `perCell` alone; connectors enforce both.
     */
    readonly perDay?: { readonly total: number; readonly rows?: number };
    /** `connector`: the node clips per unit; `declared`: a bound the data cannot enforce. */
    readonly enforcement: 'connector' | 'declared';
  };
}

export type Expression =
  | { readonly input: string }
  | { readonly add: readonly Expression[] }
  | { readonly sub: readonly [Expression, Expression] }
  | { readonly scale: readonly [Expression, number] }
  | { readonly sumOver: { readonly of: Expression; readonly axis: string } }
  | { readonly broadcast: { readonly of: Expression; readonly axes: readonly string[] } }
  | { readonly multiply: readonly [Expression, Expression] }
  | {
      readonly innerProduct: {
        readonly left: Expression;
        readonly right: Expression;
        readonly over: readonly string[];
      };
    };

export interface OutputDefinition {
  readonly name: string;
  readonly title: string;
  readonly expression: Expression;
  readonly unit: string;
  /** Fraction of the request's budget this output's noise spends (shares sum to 1). */
  readonly budgetShare: string;
}

/** Post-processing of released outputs (free under DP): ratios of two outputs of equal shape. */
export interface DerivedDefinition {
  readonly name: string;
  readonly title: string;
  readonly numerator: string;
  readonly denominator: string;
  readonly unit: string;
}

export interface PrivacyDefinition {
  readonly mechanism: 'discrete-gaussian' | 'polya-laplace';
  /** Smallest and largest budget a request may spend: zCDP rho, or pure epsilon for Pólya. */
  readonly minBudget: string;
  readonly maxBudget: string;
}
