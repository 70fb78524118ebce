import { canonicalBytes, taggedHash, toHex } from '#concord/crypto';
import { Rational } from '#concord/dp';
import { windowDays, windowFor } from '#concord/accounting';
import type { AgencyRole } from '#concord/consortium';
import type { ProtocolAnalysis } from './analyze-protocol.js';
import { calibrateOutputNoise, type OutputNoise } from './noise-calibration.js';
import { PRIVACY_WINDOWS, type PrivacyWindow } from './protocol-definition.js';
import { ProtocolError } from './protocol-error.js';
import { protocolHash } from './protocol-hash.js';
import type { ProgramNode } from './program.js';

/**
 * Everything the three parties agree on before any data moves: the protocol by hash, the
 * request's parameters and budget, the public grid, the field, the program, and each output's
 * noise. The plan is JSON (bigints as decimal strings) so it can be hashed canonically; its hash
 * is signed by every party together with its session key.
 */
export interface SessionPlan {
  readonly format: 'concord-plan/1';
  readonly sessionId: string;
  readonly protocol: { readonly id: string; readonly version: string; readonly hash: string };
  readonly parameters: Readonly<Record<string, string>>;
  readonly budget: {
    readonly mechanism: 'discrete-gaussian' | 'polya-laplace';
    readonly value: string;
    /** zCDP charged by the whole release: ρ and ξ add over the outputs. */
    readonly rho: string;
    readonly xi: string;
  };
  readonly privacyUnit: {
    readonly entity: string;
    readonly window: string;
    readonly scope: string;
  };
  readonly parties: Readonly<Record<AgencyRole, 1 | 2 | 3>>;
  readonly field: string;
  readonly axes: readonly PlanAxis[];
  readonly inputs: readonly PlanInput[];
  readonly nodes: readonly PlanNode[];
  readonly outputs: readonly PlanOutput[];
  /** The private join the inputs along `join.axis` come from (absent for every other protocol). */
  readonly join?: PlanJoin;
}

/**
 * A protocol's join with each role's party index: the tap holder's per-card rows and the
 * matcher's indicator lie along `axis`, `capacity` positions (the tap holder's tokens in its
 * secret join order, then empty rows).
 */
export interface PlanJoin {
  readonly axis: string;
  readonly capacity: number;
  readonly tapHolder: { readonly party: 1 | 2 | 3; readonly connector: string };
  readonly enrolmentHolder: { readonly party: 1 | 2 | 3; readonly connector: string };
  readonly matcher: { readonly party: 1 | 2 | 3; readonly input: string };
}

/**
 * A grid axis with its values: listed when they come from public reference data, or an integer
 * range (not materialised: a million-cell range costs nothing to hash or send).
 */
export type PlanAxis =
  | { readonly name: string; readonly values: readonly string[] }
  | { readonly name: string; readonly range: readonly [number, number] };

export function planAxisSize(axis: PlanAxis): number {
  return 'values' in axis ? axis.values.length : axis.range[1] - axis.range[0] + 1;
}

export function planAxisValues(axis: PlanAxis): string[] {
  if ('values' in axis) return [...axis.values];
  const [lo, hi] = axis.range;
  return Array.from({ length: hi - lo + 1 }, (_, i) => String(lo + i));
}

/** Key → cell index along the axis, or -1 for a key not on it. */
export function planAxisLookup(axis: PlanAxis): (key: string) => number {
  if ('values' in axis) {
    const index = new Map(axis.values.map((v, i) => [v, i]));
    return (key) => index.get(key) ?? -1;
  }
  const [lo, hi] = axis.range;
  return (key) => {
    if (!/^-?\d{1,15}$/.test(key)) return -1;
    const v = Number(key);
    return v >= lo && v <= hi ? v - lo : -1;
  };
}

export interface PlanInput {
  readonly name: string;
  readonly party: 1 | 2 | 3;
  readonly role: AgencyRole;
  readonly connector: string;
  readonly axes: readonly string[];
  readonly length: number;
  readonly unit: string;
  readonly cell: { readonly min: number; readonly max: number };
  readonly contribution: {
    readonly total: number;
    readonly perCell: number;
    readonly rows?: number;
    /** Per service day of a several-day window (absent otherwise): see `InputDefinition`. */
    readonly perDay?: { readonly total: number; readonly rows?: number };
  } | null;
}

export interface PlanNode {
  readonly node: ProgramNode;
  readonly axes: readonly string[];
  readonly length: number;
  readonly level: number;
}

export type PlanNoise =
  | { readonly mechanism: 'discrete-gaussian'; readonly shareSigma2: string }
  | { readonly mechanism: 'polya-laplace'; readonly gamma: string; readonly honestParties: number };

export interface PlanOutput {
  readonly name: string;
  readonly title: string;
  readonly node: number;
  readonly axes: readonly string[];
  readonly length: number;
  readonly unit: string;
  readonly noise: PlanNoise;
  readonly rho: string;
  /** ξ of the output's `length` cells (distributed discrete Gaussian; "0" for Pólya). */
  readonly xi: string;
  readonly epsilon: string | null;
  readonly sensitivity: { readonly l1: string; readonly l2Squared: string };
  readonly totalVarianceBound: string;
}

export interface PlanRequest {
  readonly sessionId: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Values of every axis whose source is public reference data. */
  readonly axisValues: Readonly<Record<string, readonly string[]>>;
  /** zCDP ρ (discrete Gaussian) or pure ε (Pólya), as an exact rational. */
  readonly budget: string;
  readonly parties: Readonly<Record<AgencyRole, 1 | 2 | 3>>;
}

const AXIS_VALUE = /^[A-Za-z0-9._:-]{1,64}$/;

export function compileSessionPlan(analysis: ProtocolAnalysis, request: PlanRequest): SessionPlan {
  const d = analysis.definition;
  const parameters = checkParameters(analysis, request.parameters);
  const budget = parseBudget(request.budget, d.privacy.minBudget, d.privacy.maxBudget);
  const axes: PlanAxis[] = d.axes.map((a) => {
    if ('range' in a.source) return { name: a.name, range: [a.source.range[0], a.source.range[1]] };
    const values: unknown = request.axisValues[a.name];
    if (!Array.isArray(values) || values.length === 0 || values.length > a.maxSize) {
      throw new ProtocolError(
        'invalid-axis-values',
        `axis ${a.name} needs 1 to ${a.maxSize} values`,
      );
    }
    if (
      new Set(values).size !== values.length ||
      !values.every((v) => typeof v === 'string' && AXIS_VALUE.test(v))
    ) {
      throw new ProtocolError(
        'invalid-axis-values',
        `axis ${a.name} values must be distinct identifiers`,
      );
    }
    return { name: a.name, values: values.map(String) };
  });
  const sizes = new Map(axes.map((a) => [a.name, planAxisSize(a)]));
  const lengthOf = (names: readonly string[]): number =>
    names.reduce((n, a) => n * (sizes.get(a) ?? 0), 1);
  assertPlanFits(analysis, lengthOf);
  const outputs = analysis.outputs.map((o, i): PlanOutput => {
    const def = d.outputs[i];
    const noise = calibrateOutputNoise(
      d.privacy.mechanism,
      budget.mul(Rational.parse(def.budgetShare)),
      o.sensitivity,
    );
    const length = lengthOf(o.axes);
    return {
      name: o.name,
      title: def.title,
      node: o.node,
      axes: o.axes,
      length,
      unit: def.unit,
      noise: planNoiseOf(noise),
      rho: noise.rho.toString(),
      xi: noise.xiFor(length).toString(),
      epsilon: noise.epsilon?.toString() ?? null,
      sensitivity: {
        l1: o.sensitivity.l1.toString(),
        l2Squared: o.sensitivity.l2Squared.toString(),
      },
      totalVarianceBound: noise.totalVarianceBound.toString(),
    };
  });
  const total = (part: 'rho' | 'xi'): string =>
    outputs.reduce((s, o) => s.add(Rational.parse(o[part])), Rational.ZERO).toString();
  return {
    format: 'concord-plan/1',
    sessionId: request.sessionId,
    protocol: { id: d.id, version: d.version, hash: protocolHash(d) },
    parameters,
    budget: {
      mechanism: d.privacy.mechanism,
      value: budget.toString(),
      rho: total('rho'),
      xi: total('xi'),
    },
    privacyUnit: {
      entity: d.privacyUnit.entity,
      window: windowOf(parameters, d.privacyUnit.window),
      scope: d.privacyUnit.scope,
    },
    parties: request.parties,
    field: analysis.field.id,
    axes,
    inputs: d.inputs.map((input) => ({
      name: input.name,
      party: request.parties[input.party],
      role: input.party,
      connector: input.connector,
      axes: input.axes,
      length: lengthOf(input.axes),
      unit: input.unit,
      cell: input.cell,
      contribution: input.contribution
        ? {
            total: input.contribution.total,
            perCell: input.contribution.perCell,
            ...(input.contribution.rows === undefined ? {} : { rows: input.contribution.rows }),
            ...(input.contribution.perDay === undefined
              ? {}
              : { perDay: input.contribution.perDay }),
          }
        : null,
    })),
    nodes: analysis.nodes.map((n) => ({
      node: n.node,
      axes: n.axes,
      length: lengthOf(n.axes),
      level: n.level,
    })),
    outputs,
    ...(d.join
      ? {
          join: {
            axis: d.join.axis,
            capacity: sizes.get(d.join.axis) ?? 0,
            tapHolder: { ...d.join.tapHolder, party: request.parties[d.join.tapHolder.party] },
            enrolmentHolder: {
              ...d.join.enrolmentHolder,
              party: request.parties[d.join.enrolmentHolder.party],
            },
            matcher: { ...d.join.matcher, party: request.parties[d.join.matcher.party] },
          },
        }
      : {}),
  };
}

/**
 * The most field elements one session may share and compute on: every input vector plus every
 * computed node's vector. A node deals its inputs, and each party computes the program's nodes,
 * in one synchronous step of the engine, and a node unheard for 15 s is taken for gone by the
 * coordinator. Measured on this 2-core machine under load: `reduced-fare-routes` on the medium
 * city's 85 routes (16.8 million elements) completes beside five other reports, while
 * `reduced-fare-capping` on 250 zones (49 million) kept the processor's node busy past that
 * lease and the session aborted. 2^25 ≈ 33.6 million lies between (128 MiB of shares per node
 * and field limb). Every non-join catalogue protocol fits at its declared maximum axis sizes;
 * the join protocols' dense per-card rows grow as capacity × cells, so this bound is what limits
 * their grids (docs/protocol.md, "Private join"). Dealing and computing in slices between
 * event-loop turns would lift it.
 */
export const MAX_PLAN_ELEMENTS = 2 ** 25;

/**
 * Refuses, before anything is charged or sent, a request whose grid would need more elements
 * than `MAX_PLAN_ELEMENTS`, naming the total, the limit and the largest vector.
 */
function assertPlanFits(
  analysis: ProtocolAnalysis,
  lengthOf: (axes: readonly string[]) => number,
): void {
  const vectors = [
    ...analysis.definition.inputs.map((i) => ({ name: `input ${i.name}`, axes: i.axes })),
    ...analysis.nodes
      .map((n, i) => ({ name: `node ${i} (${n.node.op})`, axes: n.axes, op: n.node.op }))
      .filter((n) => n.op !== 'input'),
  ].map((v) => ({ ...v, length: lengthOf(v.axes) }));
  const total = vectors.reduce((t, v) => t + v.length, 0);
  if (total <= MAX_PLAN_ELEMENTS) return;
  const largest = vectors.reduce((a, b) => (b.length > a.length ? b : a));
  const shape = largest.axes.map((a) => lengthOf([a]).toLocaleString('en-US')).join(' × ');
  throw new ProtocolError(
    'plan-too-large',
    `protocol ${analysis.definition.id} on this grid needs ${total.toLocaleString('en-US')} shared field elements, more than the limit of ${MAX_PLAN_ELEMENTS.toLocaleString('en-US')}; the largest is ${largest.name} (${largest.axes.join(' × ')} = ${shape} = ${largest.length.toLocaleString('en-US')})${analysis.definition.axes.some((a) => 'public' in a.source) ? '; a request may select fewer values of its public axes' : ''}`,
  );
}

/** What each party samples for an output, as the plan records it (exact rationals as text). */
export function planNoiseOf(noise: OutputNoise): PlanNoise {
  return noise.spec.mechanism === 'discrete-gaussian'
    ? { mechanism: 'discrete-gaussian', shareSigma2: noise.spec.shareSigma2.toString() }
    : {
        mechanism: 'polya-laplace',
        gamma: noise.spec.gamma.toString(),
        honestParties: noise.spec.honestParties,
      };
}

export function planHash(plan: SessionPlan): string {
  return toHex(taggedHash('concord/plan/v1', canonicalBytes(plan)));
}

function checkParameters(
  analysis: ProtocolAnalysis,
  given: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const declared = analysis.definition.parameters;
  for (const k of Object.keys(given)) {
    if (!declared.some((p) => p.name === k))
      throw new ProtocolError('invalid-parameters', `unknown parameter ${k.slice(0, 40)}`);
  }
  const out: Record<string, string> = {};
  for (const p of declared) {
    const v = given[p.name];
    if (typeof v !== 'string' || !isIsoDate(v)) {
      throw new ProtocolError(
        'invalid-parameters',
        `parameter ${p.name} must be a date YYYY-MM-DD`,
      );
    }
    out[p.name] = v;
  }
  return out;
}

function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/**
 * The privacy-unit window a request charges: its service date, or for a protocol of several days
 * the span of its days from it (a week: `2026-03-09..2026-03-15`; 30 days:
 * `2026-03-09..2026-04-07`), each day charged (`#concord/accounting`).
 */
function windowOf(parameters: Record<string, string>, window: PrivacyWindow): string {
  const date = parameters.serviceDate;
  return date === undefined ? 'all' : windowFor(date, PRIVACY_WINDOWS[window]);
}

/**
 * The service days a plan covers, in order: what its connectors read and its nodes must hold
 * data for. Empty for a protocol without a service date.
 */
export function planServiceDates(plan: Pick<SessionPlan, 'privacyUnit'>): readonly string[] {
  return windowDays(plan.privacyUnit.window) ?? [];
}

/** A request's budget, parsed and checked against the protocol's range. */
export function parseBudget(text: string, min: string, max: string): Rational {
  let budget: Rational;
  try {
    budget = Rational.parse(text);
  } catch {
    throw new ProtocolError(
      'invalid-budget',
      'budget must be a rational number such as "1/2" or "0.25"',
    );
  }
  if (budget.lt(Rational.parse(min)) || budget.gt(Rational.parse(max))) {
    throw new ProtocolError(
      'invalid-budget',
      `budget ${budget.toString()} is outside this protocol's range [${min}, ${max}]`,
    );
  }
  return budget;
}
