import { describe, expect, it } from 'vitest';
import { analyzeProtocol } from './analyze-protocol.js';
import { parseProtocolDefinition } from './parse-protocol.js';
import { ProtocolError } from './protocol-error.js';

/** A two-party protocol skeleton: taps (payments) by stop × product, indicators (planning) by stop. */
function definition(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'test-protocol',
    version: '1.0.0',
    title: 'Test',
    summary: 'A protocol for tests.',
    parameters: [{ name: 'serviceDate', type: 'date', description: 'day' }],
    privacyUnit: { entity: 'rider', window: 'service-day', scope: 'test-scope' },
    axes: [
      { name: 'stop', source: { public: 'gtfs-stops' }, maxSize: 100 },
      { name: 'product', source: { public: 'fare-products' }, maxSize: 10 },
    ],
    inputs: [
      {
        name: 'taps',
        party: 'payments',
        connector: 'taps-by-stop-product',
        axes: ['stop', 'product'],
        unit: 'taps',
        cell: { min: 0, max: 1000 },
        contribution: { total: 8, perCell: 2, enforcement: 'connector' },
      },
      {
        name: 'low_income',
        party: 'planning',
        connector: 'stop-indicator',
        axes: ['stop'],
        unit: 'indicator',
        cell: { min: 0, max: 1 },
      },
    ],
    outputs: [
      {
        name: 'taps_low_income',
        title: 'Taps at low-income stops',
        expression: {
          innerProduct: {
            left: { input: 'taps' },
            right: { broadcast: { of: { input: 'low_income' }, axes: ['stop', 'product'] } },
            over: ['stop'],
          },
        },
        unit: 'taps',
        budgetShare: '1/2',
      },
      {
        name: 'taps_total',
        title: 'All taps',
        expression: { sumOver: { of: { input: 'taps' }, axis: 'stop' } },
        unit: 'taps',
        budgetShare: '1/2',
      },
    ],
    derived: [],
    privacy: { mechanism: 'discrete-gaussian', minBudget: '1/100', maxBudget: '1' },
    field: 'auto',
    ...overrides,
  };
}

const analyze = (json: unknown) => analyzeProtocol(parseProtocolDefinition(json));

function errorOf(f: () => unknown): ProtocolError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

describe('protocol analysis', () => {
  it('propagates bounds and sensitivities through products and sums', () => {
    const a = analyze(definition());
    const [low, total] = a.outputs;
    expect(low.axes).toEqual(['product']);
    expect(low.magnitude).toBe(1000n * 1n * 100n); // cell bound × indicator bound × stops
    expect(low.sensitivity).toEqual({ l1: 8n, l2Squared: 64n }); // a rider's 8 taps may share one product
    expect(total.sensitivity).toEqual({ l1: 8n, l2Squared: 64n });
    expect(a.multiplicationRounds).toBe(1);
    expect(a.nodes.filter((n) => n.node.op === 'input')).toHaveLength(2); // shared sub-expressions are reused
  });

  it('refuses a protocol whose output could wrap the field, naming the output and the bound', () => {
    const big = definition({ field: 'rns31x1' });
    const inputs = (big.inputs as Record<string, unknown>[]).map((i) =>
      i.name === 'taps' ? { ...i, cell: { min: 0, max: 100_000_000 } } : i,
    );
    const e = errorOf(() => analyze({ ...big, inputs }));
    expect(e.code).toBe('output-may-overflow');
    expect(e.message).toMatch(/output taps_low_income may reach magnitude \d+/);
    expect(e.message).toMatch(/rns31x1/);
    // The same protocol is fine in an automatically sized field.
    expect(analyze({ ...big, inputs, field: 'auto' }).field.limbs).toBeGreaterThan(1);
  });

  it('refuses products of two individual-dependent vectors and outputs with no sensitivity', () => {
    const squares = definition({
      outputs: [
        {
          name: 'sq',
          title: 'x',
          expression: { multiply: [{ input: 'taps' }, { input: 'taps' }] },
          unit: 'x',
          budgetShare: '1',
        },
      ],
    });
    expect(errorOf(() => analyze(squares)).code).toBe('sensitivity-unbounded');
    const noUnit = definition({
      outputs: [
        {
          name: 'ind',
          title: 'x',
          expression: { input: 'low_income' },
          unit: 'x',
          budgetShare: '1',
        },
      ],
    });
    expect(errorOf(() => analyze(noUnit)).code).toBe('sensitivity-unbounded');
  });

  it('type-checks axes', () => {
    const mismatch = definition({
      outputs: [
        {
          name: 'bad',
          title: 'x',
          expression: { add: [{ input: 'taps' }, { input: 'low_income' }] },
          unit: 'x',
          budgetShare: '1',
        },
      ],
    });
    expect(errorOf(() => analyze(mismatch)).code).toBe('invalid-expression');
  });

  it('rejects malformed declarations with the path of the problem', () => {
    expect(errorOf(() => analyze(definition({ extra: 1 }))).message).toMatch(/unknown key "extra"/);
    expect(errorOf(() => analyze(definition({ version: '1' }))).message).toMatch(
      /protocol.version/,
    );
    const shares = definition();
    (shares.outputs as { budgetShare: string }[])[0].budgetShare = '1/3';
    expect(errorOf(() => analyze(shares)).message).toMatch(/sum to 5\/6/);
  });

  it('takes a per-day bound only for a unit of several days, at most the window total', () => {
    const withPerDay = (window: string, perDay: unknown): Record<string, unknown> => {
      const d = definition({ privacyUnit: { entity: 'rider', window, scope: 'test-scope' } });
      const taps = (d.inputs as { contribution: Record<string, unknown> }[])[0];
      taps.contribution = { total: 8, perCell: 2, rows: 40, perDay, enforcement: 'connector' };
      return d;
    };
    const week = parseProtocolDefinition(withPerDay('service-week', { total: 4, rows: 8 }));
    expect(week.inputs[0].contribution).toEqual({
      total: 8,
      perCell: 2,
      rows: 40,
      perDay: { total: 4, rows: 8 },
      enforcement: 'connector',
    });
    // The sensitivity is the window's: a rider-week's total, not a day's.
    const total = analyzeProtocol(week).outputs.find((o) => o.name === 'taps_total')!;
    expect(total.sensitivity.l1).toBe(8n);
    expect(errorOf(() => analyze(withPerDay('service-day', { total: 4 }))).message).toMatch(
      /perDay needs a privacy unit of several days/,
    );
    expect(errorOf(() => analyze(withPerDay('service-week', { total: 9 }))).message).toMatch(
      /perDay.total/,
    );
    expect(
      errorOf(() => analyze(withPerDay('service-week', { total: 4, rows: 41 }))).message,
    ).toMatch(/perDay.rows/);
  });
});
