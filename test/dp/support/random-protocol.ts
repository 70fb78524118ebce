import { randomBelow, type RandomSource } from '#concord/crypto';
import {
  analyzeProtocol,
  compileSessionPlan,
  type Expression,
  parseProtocolDefinition,
  ProtocolError,
  type ProtocolDefinition,
  type SessionPlan,
} from '#concord/protocol';
import { PARTY_OF_ROLE } from './parties.js';

// Random small catalogue protocols (T17): a few axes, inputs at every party, and outputs built
// from every operation of the language, type-directed so that most candidates analyse; those the
// analysis refuses (a product of two individual-dependent vectors, an output that depends on no
// individual, a budget below the share-variance floor) are redrawn.

const ROLES = ['transit', 'payments', 'planning'] as const;
const AXES = ['a', 'b', 'c'] as const;

export interface RandomProtocol {
  readonly definition: ProtocolDefinition;
  readonly plan: SessionPlan;
}

function int(rng: RandomSource, lo: number, hi: number): number {
  return lo + Number(randomBelow(rng, BigInt(hi - lo + 1)));
}

function pick<T>(rng: RandomSource, items: readonly T[]): T {
  return items[int(rng, 0, items.length - 1)];
}

/** A random subsequence of `items` (order kept). */
function subsequence<T>(rng: RandomSource, items: readonly T[]): T[] {
  return items.filter(() => int(rng, 0, 1) === 1);
}

function isSubsequence(inner: readonly string[], outer: readonly string[]): boolean {
  let j = 0;
  for (const a of outer) if (a === inner[j]) j++;
  return j === inner.length;
}

/** `axes` plus `extra`, in the declared axis order. */
function withAxes(declared: readonly string[], axes: readonly string[], extra: readonly string[]) {
  return declared.filter((a) => axes.includes(a) || extra.includes(a));
}

interface InputSketch {
  readonly name: string;
  readonly axes: readonly string[];
}

function expression(
  rng: RandomSource,
  declared: readonly string[],
  inputs: readonly InputSketch[],
  target: readonly string[],
  depth: number,
): Expression | undefined {
  const leafOnly = depth >= 3;
  const choice = leafOnly ? 0 : int(rng, 0, 7);
  const sub = (t: readonly string[]): Expression | undefined =>
    expression(rng, declared, inputs, t, depth + 1);
  const spare = declared.filter((a) => !target.includes(a));
  switch (choice) {
    case 1: {
      const terms = Array.from({ length: int(rng, 2, 3) }, () => sub(target));
      return terms.every(Boolean) ? { add: terms as Expression[] } : undefined;
    }
    case 2: {
      const [l, r] = [sub(target), sub(target)];
      return l && r ? { sub: [l, r] } : undefined;
    }
    case 3: {
      const e = sub(target);
      const c = pick(rng, [-3, -2, -1, 2, 3]);
      return e && { scale: [e, c] };
    }
    case 4: {
      if (spare.length === 0) break;
      const axis = pick(rng, spare);
      const e = sub(withAxes(declared, target, [axis]));
      return e && { sumOver: { of: e, axis } };
    }
    case 5: {
      const [l, r] = [sub(target), sub(target)];
      return l && r ? { multiply: [l, r] } : undefined;
    }
    case 6: {
      const over = subsequence(rng, spare);
      if (over.length === 0) break;
      const operand = withAxes(declared, target, over);
      const [l, r] = [sub(operand), sub(operand)];
      return l && r ? { innerProduct: { left: l, right: r, over } } : undefined;
    }
    default:
      break;
  }
  // A leaf: an input with these axes, broadcast up to them, or summed down to them.
  const fits = inputs.filter((i) => isSubsequence(i.axes, target));
  if (fits.length > 0 && (spare.length === 0 || int(rng, 0, 2) > 0)) {
    const input = pick(rng, fits);
    return input.axes.length === target.length
      ? { input: input.name }
      : { broadcast: { of: { input: input.name }, axes: [...target] } };
  }
  const wider = inputs.filter((i) => isSubsequence(target, i.axes));
  if (wider.length === 0) return undefined;
  const input = pick(rng, wider);
  let e: Expression = { input: input.name };
  for (const axis of input.axes.filter((a) => !target.includes(a)))
    e = { sumOver: { of: e, axis } };
  return e;
}

function candidate(rng: RandomSource, index: number): unknown {
  const declared = AXES.slice(0, int(rng, 1, 3));
  const sizes = new Map(declared.map((a) => [a, int(rng, 1, 3)]));
  const inputs = Array.from({ length: int(rng, 1, 4) }, (_, i) => {
    const axes = subsequence(rng, declared);
    const individual = i === 0 || int(rng, 0, 2) > 0;
    const total = int(rng, 1, 12);
    const min = pick(rng, [0, 0, -5]);
    return {
      name: `in_${i}`,
      party: pick(rng, ROLES),
      connector: 'random-vector',
      axes,
      unit: 'units',
      cell: { min, max: min + int(rng, 1, 40) },
      ...(individual
        ? {
            contribution: {
              total,
              perCell: int(rng, 1, total),
              enforcement: pick(rng, ['connector', 'declared']),
            },
          }
        : {}),
    };
  });
  const outputCount = int(rng, 1, 3);
  const outputs: unknown[] = [];
  for (let o = 0; o < outputCount; o++) {
    const target = subsequence(rng, declared);
    const e = expression(rng, declared, inputs, target, 0);
    if (!e) return undefined;
    outputs.push({
      name: `out_${o}`,
      title: `Output ${o}`,
      expression: e,
      unit: 'units',
      budgetShare: `1/${outputCount}`,
    });
  }
  return {
    id: `random-${index}`,
    version: '1.0.0',
    title: `Random protocol ${index}`,
    summary: 'A random protocol for the no-un-noised-opening test.',
    parameters: [{ name: 'serviceDate', type: 'date', description: 'The service day.' }],
    privacyUnit: { entity: 'rider', window: 'service-day', scope: 'random' },
    axes: declared.map((name) =>
      name === 'b'
        ? { name, source: { public: 'random-keys' }, maxSize: 4 }
        : { name, source: { range: [0, sizes.get(name)! - 1] }, maxSize: sizes.get(name) },
    ),
    inputs,
    outputs,
    derived: [],
    privacy: {
      mechanism: pick(rng, ['discrete-gaussian', 'polya-laplace']),
      minBudget: '1/1000',
      maxBudget: '4',
    },
    field: 'auto',
  };
}

/**
 * A random protocol that parses, analyses and compiles, with its session plan. `attempts` counts
 * the candidates the language refused on the way (they are part of the test's evidence too).
 */
export function randomProtocol(
  rng: RandomSource,
  index: number,
): RandomProtocol & { attempts: number } {
  for (let attempts = 1; attempts <= 1000; attempts++) {
    const json = candidate(rng, index);
    if (!json) continue;
    try {
      const definition = parseProtocolDefinition(json);
      const analysis = analyzeProtocol(definition);
      const publicAxis = definition.axes.find((a) => 'public' in a.source);
      const plan = compileSessionPlan(analysis, {
        sessionId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
        parameters: { serviceDate: '2026-03-10' },
        axisValues: publicAxis
          ? { [publicAxis.name]: ['k0', 'k1', 'k2', 'k3'].slice(0, int(rng, 1, 4)) }
          : {},
        budget: pick(rng, ['1/1000', '1/100', '1/10', '1/2']),
        parties: PARTY_OF_ROLE,
      });
      return { definition, plan, attempts };
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
    }
  }
  throw new Error('no random protocol analysed in 1000 attempts');
}

// ---- a plain evaluator of the language, independent of the engine -----------------------

interface Tensor {
  readonly axes: readonly string[];
  readonly data: readonly bigint[];
}

function strides(axes: readonly string[], sizes: ReadonlyMap<string, number>): number[] {
  const out = new Array<number>(axes.length).fill(1);
  for (let k = axes.length - 2; k >= 0; k--) out[k] = out[k + 1] * sizes.get(axes[k + 1])!;
  return out;
}

/** For every cell of a grid over `outer`, the index of its projection onto `inner` ⊆ `outer`. */
function projection(
  outer: readonly string[],
  inner: readonly string[],
  sizes: ReadonlyMap<string, number>,
): number[] {
  const total = outer.reduce((n, a) => n * sizes.get(a)!, 1);
  const so = strides(outer, sizes);
  const si = strides(inner, sizes);
  return Array.from({ length: total }, (_, index) => {
    let j = 0;
    outer.forEach((a, k) => {
      const coordinate = Math.floor(index / so[k]) % sizes.get(a)!;
      const at = inner.indexOf(a);
      if (at >= 0) j += coordinate * si[at];
    });
    return j;
  });
}

function sumOut(t: Tensor, axis: string, sizes: ReadonlyMap<string, number>): Tensor {
  const axes = t.axes.filter((a) => a !== axis);
  const data = new Array<bigint>(axes.reduce((n, a) => n * sizes.get(a)!, 1)).fill(0n);
  projection(t.axes, axes, sizes).forEach((j, i) => (data[j] += t.data[i]));
  return { axes, data };
}

/**
 * The exact value of an expression over plain inputs (bigint, row-major grids over the plan's
 * axes): the reference every opened value is compared with.
 */
export function evaluate(
  e: Expression,
  inputs: ReadonlyMap<string, Tensor>,
  sizes: ReadonlyMap<string, number>,
): Tensor {
  const ev = (x: Expression): Tensor => evaluate(x, inputs, sizes);
  const zip = (l: Tensor, r: Tensor, f: (a: bigint, b: bigint) => bigint): Tensor => ({
    axes: l.axes,
    data: l.data.map((v, i) => f(v, r.data[i])),
  });
  if ('input' in e) return inputs.get(e.input)!;
  if ('add' in e) return e.add.map(ev).reduce((l, r) => zip(l, r, (a, b) => a + b));
  if ('sub' in e) return zip(ev(e.sub[0]), ev(e.sub[1]), (a, b) => a - b);
  if ('scale' in e) {
    const t = ev(e.scale[0]);
    return { axes: t.axes, data: t.data.map((v) => v * BigInt(e.scale[1])) };
  }
  if ('sumOver' in e) return sumOut(ev(e.sumOver.of), e.sumOver.axis, sizes);
  if ('broadcast' in e) {
    const t = ev(e.broadcast.of);
    const map = projection(e.broadcast.axes, t.axes, sizes);
    return { axes: e.broadcast.axes, data: map.map((j) => t.data[j]) };
  }
  if ('multiply' in e) return zip(ev(e.multiply[0]), ev(e.multiply[1]), (a, b) => a * b);
  let t = zip(ev(e.innerProduct.left), ev(e.innerProduct.right), (a, b) => a * b);
  for (const axis of e.innerProduct.over) t = sumOut(t, axis, sizes);
  return t;
}

/** Random inputs within the declared cell bounds, by input name (numbers, as connectors give). */
export function randomInputs(rng: RandomSource, plan: SessionPlan): Map<string, number[]> {
  return new Map(
    plan.inputs.map((i) => [
      i.name,
      Array.from({ length: i.length }, () => int(rng, i.cell.min, i.cell.max)),
    ]),
  );
}

/** Nonzero noise per output cell (any one party's missing share would change every value). */
export function distinctiveNoise(rng: RandomSource, plan: SessionPlan): bigint[][] {
  return plan.outputs.map((o) =>
    Array.from({ length: o.length }, () => {
      const magnitude = BigInt(int(rng, 1, 1_000_000));
      return int(rng, 0, 1) === 1 ? magnitude : -magnitude;
    }),
  );
}
