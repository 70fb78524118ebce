import { AGENCY_ROLES, type AgencyRole } from '#concord/consortium';
import { Rational } from '#concord/dp';
import type {
  AxisDefinition,
  DerivedDefinition,
  Expression,
  InputDefinition,
  OutputDefinition,
  ParameterDefinition,
  PrivacyDefinition,
  PrivacyUnit,
  PrivacyWindow,
  ProtocolDefinition,
} from './protocol-definition.js';
import { PRIVACY_WINDOWS } from './protocol-definition.js';
import {
  fail,
  ID,
  integer,
  list,
  matching,
  NAME,
  rational,
  record,
  text,
  unique,
} from './json-checks.js';
import { checkJoin, parseJoin } from './parse-join.js';

const VERSION = /^\d+\.\d+\.\d+$/;
const MAX_CELL = 2 ** 52;
const MAX_EXPRESSION_DEPTH = 16;

/**
 * Validates a protocol declaration (parsed JSON) strictly: unknown keys are refused so that the
 * canonical hash covers everything that can change a protocol's meaning.
 */
export function parseProtocolDefinition(json: unknown): ProtocolDefinition {
  const at = 'protocol';
  const o = record(json, at, [
    'id',
    'version',
    'title',
    'summary',
    'parameters',
    'privacyUnit',
    'axes',
    'inputs',
    'outputs',
    'derived',
    'privacy',
    'join',
    'field',
  ]);
  const definition: ProtocolDefinition = {
    id: matching(o.id, ID, `${at}.id`),
    version: matching(o.version, VERSION, `${at}.version`),
    title: text(o.title, `${at}.title`, 200),
    summary: text(o.summary, `${at}.summary`, 4000),
    parameters: list(o.parameters, `${at}.parameters`, 16).map((p, i) =>
      parameter(p, `${at}.parameters[${i}]`),
    ),
    privacyUnit: privacyUnit(o.privacyUnit, `${at}.privacyUnit`),
    axes: list(o.axes, `${at}.axes`, 8).map((a, i) => axis(a, `${at}.axes[${i}]`)),
    inputs: list(o.inputs, `${at}.inputs`, 16).map((x, i) => input(x, `${at}.inputs[${i}]`)),
    outputs: list(o.outputs, `${at}.outputs`, 32).map((x, i) => output(x, `${at}.outputs[${i}]`)),
    derived: list(o.derived, `${at}.derived`, 32).map((x, i) => derived(x, `${at}.derived[${i}]`)),
    privacy: privacy(o.privacy, `${at}.privacy`),
    ...(o.join === undefined ? {} : { join: parseJoin(o.join, `${at}.join`) }),
    field: matching(o.field, /^(auto|rns31x[1-6])$/, `${at}.field`),
  };
  checkReferences(definition);
  checkJoin(definition);
  checkPerDayBounds(definition);
  return definition;
}

/** A per-day bound only means something when the privacy unit spans several days. */
function checkPerDayBounds(d: ProtocolDefinition): void {
  if (PRIVACY_WINDOWS[d.privacyUnit.window] > 1) return;
  const input = d.inputs.find((i) => i.contribution?.perDay !== undefined);
  if (input)
    fail(
      `input ${input.name}: contribution.perDay needs a privacy unit of several days (window ${d.privacyUnit.window} is one)`,
    );
}

function checkReferences(d: ProtocolDefinition): void {
  unique(
    d.parameters.map((p) => p.name),
    'parameter',
  );
  unique(
    d.axes.map((a) => a.name),
    'axis',
  );
  unique(
    d.inputs.map((i) => i.name),
    'input',
  );
  unique([...d.outputs.map((o) => o.name), ...d.derived.map((o) => o.name)], 'output');
  const axes = new Set(d.axes.map((a) => a.name));
  for (const input of d.inputs) {
    for (const a of input.axes)
      if (!axes.has(a)) fail(`input ${input.name} uses unknown axis ${a}`);
    if (new Set(input.axes).size !== input.axes.length) fail(`input ${input.name} repeats an axis`);
  }
  if (d.outputs.length === 0) fail('a protocol releases at least one output');
  const share = d.outputs.reduce((s, o) => s.add(Rational.parse(o.budgetShare)), Rational.ZERO);
  if (!share.equals(Rational.ONE)) fail(`output budget shares sum to ${share.toString()}, not 1`);
  const outputs = new Set(d.outputs.map((o) => o.name));
  for (const x of d.derived) {
    for (const ref of [x.numerator, x.denominator]) {
      if (!outputs.has(ref)) fail(`derived ${x.name} refers to unknown output ${ref}`);
    }
  }
  if (Rational.parse(d.privacy.minBudget).gt(Rational.parse(d.privacy.maxBudget))) {
    fail('privacy.minBudget exceeds privacy.maxBudget');
  }
}

function parameter(json: unknown, at: string): ParameterDefinition {
  const o = record(json, at, ['name', 'type', 'description']);
  if (o.type !== 'date') fail(`${at}.type must be "date"`);
  return {
    name: matching(o.name, /^[a-z][A-Za-z0-9]{0,62}$/, `${at}.name`),
    type: 'date',
    description: text(o.description, `${at}.description`, 500),
  };
}

function privacyUnit(json: unknown, at: string): PrivacyUnit {
  const o = record(json, at, ['entity', 'window', 'scope']);
  if (typeof o.window !== 'string' || !Object.hasOwn(PRIVACY_WINDOWS, o.window))
    fail(
      `${at}.window must be one of ${Object.keys(PRIVACY_WINDOWS)
        .map((w) => `"${w}"`)
        .join(', ')}`,
    );
  return {
    entity: matching(o.entity, NAME, `${at}.entity`),
    window: o.window as PrivacyWindow,
    scope: matching(o.scope, ID, `${at}.scope`),
  };
}

function axis(json: unknown, at: string): AxisDefinition {
  const o = record(json, at, ['name', 'source', 'maxSize']);
  const source = record(o.source, `${at}.source`, ['public', 'range']);
  let parsed: AxisDefinition['source'];
  if ('public' in source && !('range' in source)) {
    parsed = { public: matching(source.public, ID, `${at}.source.public`) };
  } else if ('range' in source && !('public' in source)) {
    const r = source.range;
    if (
      !Array.isArray(r) ||
      r.length !== 2 ||
      !r.every((v) => Number.isSafeInteger(v)) ||
      (r[0] as number) > (r[1] as number)
    ) {
      fail(`${at}.source.range must be [low, high] integers`);
    }
    parsed = { range: [r[0] as number, r[1] as number] };
  } else {
    fail(`${at}.source must have exactly one of "public" or "range"`);
  }
  const maxSize = integer(o.maxSize, `${at}.maxSize`, 1, 1_000_000);
  if ('range' in parsed && parsed.range[1] - parsed.range[0] + 1 > maxSize)
    fail(`${at}.range exceeds maxSize`);
  return { name: matching(o.name, NAME, `${at}.name`), source: parsed, maxSize };
}

function input(json: unknown, at: string): InputDefinition {
  const o = record(json, at, [
    'name',
    'party',
    'connector',
    'axes',
    'unit',
    'cell',
    'contribution',
  ]);
  const cell = record(o.cell, `${at}.cell`, ['min', 'max']);
  const min = integer(cell.min, `${at}.cell.min`, -MAX_CELL, MAX_CELL);
  const max = integer(cell.max, `${at}.cell.max`, min, MAX_CELL);
  if (typeof o.party !== 'string' || !AGENCY_ROLES.includes(o.party as AgencyRole)) {
    fail(`${at}.party must be one of ${AGENCY_ROLES.join(', ')}`);
  }
  const result: InputDefinition = {
    name: matching(o.name, NAME, `${at}.name`),
    party: o.party as AgencyRole,
    connector: matching(o.connector, ID, `${at}.connector`),
    axes: list(o.axes, `${at}.axes`, 4).map((a, i) => matching(a, NAME, `${at}.axes[${i}]`)),
    unit: matching(o.unit, NAME, `${at}.unit`),
    cell: { min, max },
  };
  if (o.contribution === undefined) return result;
  const c = record(o.contribution, `${at}.contribution`, [
    'total',
    'perCell',
    'rows',
    'perDay',
    'enforcement',
  ]);
  const total = integer(c.total, `${at}.contribution.total`, 1, MAX_CELL);
  const perCell = integer(c.perCell, `${at}.contribution.perCell`, 1, total);
  if (c.enforcement !== 'connector' && c.enforcement !== 'declared') {
    fail(`${at}.contribution.enforcement must be "connector" or "declared"`);
  }
  const rows =
    c.rows === undefined ? undefined : integer(c.rows, `${at}.contribution.rows`, 1, 10_000);
  return {
    ...result,
    contribution: {
      total,
      perCell,
      ...(rows === undefined ? {} : { rows }),
      ...(c.perDay === undefined
        ? {}
        : { perDay: perDay(c.perDay, `${at}.contribution.perDay`, total, rows) }),
      enforcement: c.enforcement,
    },
  };
}

/** A unit's bound per service day inside a window of several days: at most the window's own. */
function perDay(
  json: unknown,
  at: string,
  total: number,
  rows: number | undefined,
): { readonly total: number; readonly rows?: number } {
  const o = record(json, at, ['total', 'rows']);
  const dayTotal = integer(o.total, `${at}.total`, 1, total);
  if (o.rows === undefined) return { total: dayTotal };
  return { total: dayTotal, rows: integer(o.rows, `${at}.rows`, 1, rows ?? 10_000) };
}

function output(json: unknown, at: string): OutputDefinition {
  const o = record(json, at, ['name', 'title', 'expression', 'unit', 'budgetShare']);
  const share = rational(o.budgetShare, `${at}.budgetShare`);
  if (share.sign() <= 0 || share.gt(Rational.ONE)) fail(`${at}.budgetShare must be in (0, 1]`);
  return {
    name: matching(o.name, NAME, `${at}.name`),
    title: text(o.title, `${at}.title`, 200),
    expression: expression(o.expression, `${at}.expression`, 0),
    unit: matching(o.unit, NAME, `${at}.unit`),
    budgetShare: share.toString(),
  };
}

function derived(json: unknown, at: string): DerivedDefinition {
  const o = record(json, at, ['name', 'title', 'numerator', 'denominator', 'unit']);
  return {
    name: matching(o.name, NAME, `${at}.name`),
    title: text(o.title, `${at}.title`, 200),
    numerator: matching(o.numerator, NAME, `${at}.numerator`),
    denominator: matching(o.denominator, NAME, `${at}.denominator`),
    unit: matching(o.unit, /^[a-z][a-z0-9_/]{0,62}$/, `${at}.unit`),
  };
}

function privacy(json: unknown, at: string): PrivacyDefinition {
  const o = record(json, at, ['mechanism', 'minBudget', 'maxBudget']);
  if (o.mechanism !== 'discrete-gaussian' && o.mechanism !== 'polya-laplace') {
    fail(`${at}.mechanism must be "discrete-gaussian" or "polya-laplace"`);
  }
  const min = rational(o.minBudget, `${at}.minBudget`);
  const max = rational(o.maxBudget, `${at}.maxBudget`);
  if (min.sign() <= 0) fail(`${at}.minBudget must be positive`);
  return { mechanism: o.mechanism, minBudget: min.toString(), maxBudget: max.toString() };
}

function expression(json: unknown, at: string, depth: number): Expression {
  if (depth > MAX_EXPRESSION_DEPTH) fail(`${at} nests deeper than ${MAX_EXPRESSION_DEPTH}`);
  const o = record(json, at, [
    'input',
    'add',
    'sub',
    'scale',
    'sumOver',
    'broadcast',
    'multiply',
    'innerProduct',
  ]);
  const keys = Object.keys(o);
  if (keys.length !== 1) fail(`${at} must have exactly one operation`);
  const next = (j: unknown, p: string): Expression => expression(j, p, depth + 1);
  const [op] = keys;
  switch (op) {
    case 'input':
      return { input: matching(o.input, NAME, `${at}.input`) };
    case 'add': {
      const args = list(o.add, `${at}.add`, 16);
      if (args.length < 2) fail(`${at}.add needs at least two terms`);
      return { add: args.map((a, i) => next(a, `${at}.add[${i}]`)) };
    }
    case 'sub': {
      const args = list(o.sub, `${at}.sub`, 2);
      if (args.length !== 2) fail(`${at}.sub needs two terms`);
      return { sub: [next(args[0], `${at}.sub[0]`), next(args[1], `${at}.sub[1]`)] };
    }
    case 'scale': {
      const args = list(o.scale, `${at}.scale`, 2);
      if (args.length !== 2) fail(`${at}.scale is [expression, integer]`);
      return {
        scale: [
          next(args[0], `${at}.scale[0]`),
          integer(args[1], `${at}.scale[1]`, -(2 ** 31), 2 ** 31),
        ],
      };
    }
    case 'sumOver': {
      const s = record(o.sumOver, `${at}.sumOver`, ['of', 'axis']);
      return {
        sumOver: {
          of: next(s.of, `${at}.sumOver.of`),
          axis: matching(s.axis, NAME, `${at}.sumOver.axis`),
        },
      };
    }
    case 'broadcast': {
      const b = record(o.broadcast, `${at}.broadcast`, ['of', 'axes']);
      return {
        broadcast: {
          of: next(b.of, `${at}.broadcast.of`),
          axes: list(b.axes, `${at}.broadcast.axes`, 4).map((a, i) =>
            matching(a, NAME, `${at}.broadcast.axes[${i}]`),
          ),
        },
      };
    }
    case 'multiply': {
      const args = list(o.multiply, `${at}.multiply`, 2);
      if (args.length !== 2) fail(`${at}.multiply needs two factors`);
      return { multiply: [next(args[0], `${at}.multiply[0]`), next(args[1], `${at}.multiply[1]`)] };
    }
    case 'innerProduct': {
      const p = record(o.innerProduct, `${at}.innerProduct`, ['left', 'right', 'over']);
      return {
        innerProduct: {
          left: next(p.left, `${at}.innerProduct.left`),
          right: next(p.right, `${at}.innerProduct.right`),
          over: list(p.over, `${at}.innerProduct.over`, 4).map((a, i) =>
            matching(a, NAME, `${at}.innerProduct.over[${i}]`),
          ),
        },
      };
    }
    default:
      return fail(`${at} has an unknown operation`);
  }
}
