import { integerSqrt, Rational } from '#concord/dp';
import { fieldById, fieldForMagnitude, type PrimeField } from '#concord/field';
import { calibrateOutputNoise, type OutputNoise } from './noise-calibration.js';
import type { Expression, ProtocolDefinition } from './protocol-definition.js';
import { ProtocolError } from './protocol-error.js';
import type { ProgramNode, TypedNode } from './program.js';

/** Rider-level sensitivity of a vector: L1 and an upper bound on the squared L2 norm. */
export interface Sensitivity {
  readonly l1: bigint;
  readonly l2Squared: bigint;
}

export interface AnalyzedOutput {
  readonly name: string;
  readonly node: number;
  readonly axes: readonly string[];
  /** Largest magnitude of the exact (pre-noise) value of any cell, from the declared bounds. */
  readonly magnitude: bigint;
  readonly sensitivity: Sensitivity;
  /** Largest magnitude of a released cell, noise included (40 standard deviations at minBudget). */
  readonly releasedMagnitude: bigint;
}

/** What loading a protocol establishes: its program, the field, and every output's bounds. */
export interface ProtocolAnalysis {
  readonly definition: ProtocolDefinition;
  readonly nodes: readonly TypedNode[];
  readonly outputs: readonly AnalyzedOutput[];
  readonly field: PrimeField;
  /** Resharing rounds the program needs (0 for linear protocols). */
  readonly multiplicationRounds: number;
}

interface NodeFacts {
  readonly magnitude: bigint;
  /** Undefined when the vector does not depend on any individual. */
  readonly sensitivity: Sensitivity | undefined;
}

/**
 * Type-checks the expressions, propagates the declared bounds and contribution caps through the
 * computation, derives every output's sensitivity (never typed in by hand), and picks the
 * field — or refuses the protocol when an output could wrap it.
 */
export function analyzeProtocol(definition: ProtocolDefinition): ProtocolAnalysis {
  const axisSize = new Map(definition.axes.map((a) => [a.name, BigInt(a.maxSize)]));
  const inputs = new Map(definition.inputs.map((i) => [i.name, i]));
  const nodes: TypedNode[] = [];
  const facts: NodeFacts[] = [];
  const memo = new Map<string, number>();

  const add = (node: ProgramNode, axes: readonly string[], level: number, f: NodeFacts): number => {
    const key = JSON.stringify(node);
    const existing = memo.get(key);
    if (existing !== undefined) return existing;
    nodes.push({ node, axes, level });
    facts.push(f);
    memo.set(key, nodes.length - 1);
    return nodes.length - 1;
  };
  const sizeOf = (axes: readonly string[]): bigint =>
    axes.reduce((n, a) => n * (axisSize.get(a) ?? 0n), 1n);
  const fail = (message: string): never => {
    throw new ProtocolError('invalid-expression', message);
  };

  const visit = (e: Expression, where: string): number => {
    if ('input' in e) {
      const input = inputs.get(e.input) ?? fail(`${where}: unknown input ${e.input}`);
      const c = input.contribution;
      const magnitude = BigInt(Math.max(Math.abs(input.cell.min), Math.abs(input.cell.max)));
      return add({ op: 'input', input: input.name }, input.axes, 0, {
        magnitude,
        sensitivity: c ? contributionSensitivity(BigInt(c.total), BigInt(c.perCell)) : undefined,
      });
    }
    if ('add' in e) {
      const args = e.add.map((x, i) => visit(x, `${where}.add[${i}]`));
      const axes = sameAxes(args, where);
      return add({ op: 'add', args }, axes, Math.max(...args.map((a) => nodes[a].level)), {
        magnitude: args.reduce((s, a) => s + facts[a].magnitude, 0n),
        sensitivity: args.map((a) => facts[a].sensitivity).reduce(sumSensitivity, undefined),
      });
    }
    if ('sub' in e) {
      const args = [
        visit(e.sub[0], `${where}.sub[0]`),
        visit(e.sub[1], `${where}.sub[1]`),
      ] as const;
      return add(
        { op: 'sub', args },
        sameAxes(args, where),
        Math.max(nodes[args[0]].level, nodes[args[1]].level),
        {
          magnitude: facts[args[0]].magnitude + facts[args[1]].magnitude,
          sensitivity: sumSensitivity(facts[args[0]].sensitivity, facts[args[1]].sensitivity),
        },
      );
    }
    if ('scale' in e) {
      const arg = visit(e.scale[0], `${where}.scale[0]`);
      const c = BigInt(Math.abs(e.scale[1]));
      const s = facts[arg].sensitivity;
      return add({ op: 'scale', arg, by: e.scale[1] }, nodes[arg].axes, nodes[arg].level, {
        magnitude: facts[arg].magnitude * c,
        sensitivity: s && { l1: s.l1 * c, l2Squared: s.l2Squared * c * c },
      });
    }
    if ('sumOver' in e) {
      const arg = visit(e.sumOver.of, `${where}.sumOver`);
      const axes = nodes[arg].axes;
      if (!axes.includes(e.sumOver.axis))
        fail(`${where}: cannot sum over ${e.sumOver.axis}, not an axis of the operand`);
      const n = axisSize.get(e.sumOver.axis) ?? 0n;
      const s = facts[arg].sensitivity;
      return add(
        { op: 'sumOver', arg, axis: e.sumOver.axis },
        axes.filter((a) => a !== e.sumOver.axis),
        nodes[arg].level,
        {
          magnitude: facts[arg].magnitude * n,
          // Merging cells: a unit's whole contribution may land in one cell (≤ L1²), and by
          // Cauchy–Schwarz a sum of n cells is at most n times the squared L2 norm.
          sensitivity: s && { l1: s.l1, l2Squared: min(s.l1 * s.l1, n * s.l2Squared) },
        },
      );
    }
    if ('broadcast' in e) {
      const arg = visit(e.broadcast.of, `${where}.broadcast`);
      const target = e.broadcast.axes;
      for (const a of target) if (!axisSize.has(a)) fail(`${where}: unknown axis ${a}`);
      const from = nodes[arg].axes;
      let j = 0;
      for (const a of target) if (a === from[j]) j++;
      if (j !== from.length)
        fail(`${where}: broadcast target must contain the operand's axes in order`);
      const copies = sizeOf(target.filter((a) => !from.includes(a)));
      const s = facts[arg].sensitivity;
      return add({ op: 'broadcast', arg, axes: target }, target, nodes[arg].level, {
        magnitude: facts[arg].magnitude,
        sensitivity: s && { l1: s.l1 * copies, l2Squared: s.l2Squared * copies },
      });
    }
    if ('multiply' in e) {
      const args = [
        visit(e.multiply[0], `${where}.multiply[0]`),
        visit(e.multiply[1], `${where}.multiply[1]`),
      ] as const;
      const axes = sameAxes(args, where);
      return add(
        { op: 'multiply', args },
        axes,
        Math.max(nodes[args[0]].level, nodes[args[1]].level) + 1,
        {
          magnitude: facts[args[0]].magnitude * facts[args[1]].magnitude,
          sensitivity: productSensitivity(facts[args[0]], facts[args[1]], false, where),
        },
      );
    }
    const { left, right, over } = e.innerProduct;
    const args = [
      visit(left, `${where}.innerProduct.left`),
      visit(right, `${where}.innerProduct.right`),
    ] as const;
    const axes = sameAxes(args, where);
    for (const a of over)
      if (!axes.includes(a)) fail(`${where}: cannot sum over ${a}, not an axis of the operands`);
    const terms = sizeOf(over);
    return add(
      { op: 'innerProduct', args, over },
      axes.filter((a) => !over.includes(a)),
      Math.max(nodes[args[0]].level, nodes[args[1]].level) + 1,
      {
        magnitude: facts[args[0]].magnitude * facts[args[1]].magnitude * terms,
        sensitivity: productSensitivity(facts[args[0]], facts[args[1]], true, where),
      },
    );
  };

  const sameAxes = (args: readonly number[], where: string): readonly string[] => {
    const axes = nodes[args[0]].axes;
    for (const a of args) {
      if (nodes[a].axes.join(',') !== axes.join(',')) {
        fail(
          `${where}: operands have different axes (${nodes[a].axes.join(',')} vs ${axes.join(',')})`,
        );
      }
    }
    return axes;
  };

  const outputs = definition.outputs.map((o) => {
    const node = visit(o.expression, `output ${o.name}`);
    const f = facts[node];
    if (!f.sensitivity) {
      throw new ProtocolError(
        'sensitivity-unbounded',
        `output ${o.name} depends on no individual's contribution`,
      );
    }
    const noise = calibrateOutputNoise(
      definition.privacy.mechanism,
      Rational.parse(definition.privacy.minBudget).mul(Rational.parse(o.budgetShare)),
      f.sensitivity,
    );
    return {
      name: o.name,
      node,
      axes: nodes[node].axes,
      magnitude: f.magnitude,
      sensitivity: f.sensitivity,
      releasedMagnitude: f.magnitude + noiseTail(noise),
    };
  });

  return {
    definition,
    nodes,
    outputs,
    field: chooseField(definition.field, outputs),
    multiplicationRounds: Math.max(0, ...nodes.map((n) => n.level)),
  };
}

/** Forty standard deviations of the released noise: exceeding it has probability far below 2^-100. */
function noiseTail(noise: OutputNoise): bigint {
  const variance = noise.totalVarianceBound.ceil();
  const sd = integerSqrt(variance);
  return 40n * (sd * sd < variance ? sd + 1n : sd);
}

function chooseField(declared: string, outputs: readonly AnalyzedOutput[]): PrimeField {
  const worst = outputs.reduce((w, o) => (o.releasedMagnitude > w.releasedMagnitude ? o : w));
  if (declared === 'auto') {
    try {
      return fieldForMagnitude(worst.releasedMagnitude);
    } catch {
      throw overflow(worst, 'the largest Concord field');
    }
  }
  const field = fieldById(declared);
  for (const o of outputs)
    if (o.releasedMagnitude > field.maxMagnitude) throw overflow(o, `field ${field.id}`);
  return field;
}

function overflow(o: AnalyzedOutput, where: string): ProtocolError {
  return new ProtocolError(
    'output-may-overflow',
    `output ${o.name} may reach magnitude ${o.releasedMagnitude} (exact value up to ${o.magnitude}, plus noise), ` +
      `which does not fit ${where}: it could wrap around and decode to a wrong number`,
  );
}

/**
 * Caps K in total and m per cell: Δ1 = K, Δ2² = ⌊K/m⌋·m² + (K mod m)² (docs/privacy.md,
 * 'Sensitivity').
 */
export function contributionSensitivity(total: bigint, perCell: bigint): Sensitivity {
  const full = total / perCell;
  const rest = total % perCell;
  return { l1: total, l2Squared: full * perCell * perCell + rest * rest };
}

/** Without linkage across agencies, sensitivities add: Δ2 ≤ Δ2a + Δ2b, squared exactly bounded. */
function sumSensitivity(
  a: Sensitivity | undefined,
  b: Sensitivity | undefined,
): Sensitivity | undefined {
  if (!a) return b;
  if (!b) return a;
  const cross = a.l2Squared * b.l2Squared;
  const root = integerSqrt(cross);
  const ceilRoot = root * root < cross ? root + 1n : root;
  return { l1: a.l1 + b.l1, l2Squared: a.l2Squared + b.l2Squared + 2n * ceilRoot };
}

/**
 * A product is bounded when one factor does not depend on individuals: the other's sensitivity
 * scales by its bound. Grouped sums (inner products) may put a unit's whole contribution into one
 * output cell, hence Δ2² ≤ Δ1² there.
 */
function productSensitivity(
  a: NodeFacts,
  b: NodeFacts,
  grouped: boolean,
  where: string,
): Sensitivity {
  if (a.sensitivity && b.sensitivity) {
    throw new ProtocolError(
      'sensitivity-unbounded',
      `${where}: a product of two individual-dependent vectors has no linear sensitivity`,
    );
  }
  const [dep, fixed] = a.sensitivity ? [a, b] : [b, a];
  const s = dep.sensitivity;
  if (!s)
    throw new ProtocolError(
      'sensitivity-unbounded',
      `${where}: neither factor depends on individuals`,
    );
  const l1 = s.l1 * fixed.magnitude;
  return grouped
    ? { l1, l2Squared: l1 * l1 }
    : { l1, l2Squared: s.l2Squared * fixed.magnitude * fixed.magnitude };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
