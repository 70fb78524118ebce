import { type ProtocolDefinition } from '#concord/protocol';

/**
 * Benchmark protocols: `m` cells, one input vector per party, and either the elementwise sum of
 * all three (work "sum") or the elementwise product of the transit and payments vectors (work
 * "multiply"). Declared like catalogue protocols, so they run through the same engine, plans and
 * coordinator; each cell is released with the same distributed noise as any report.
 */
export function benchProtocol(work: 'sum' | 'multiply', m: number): ProtocolDefinition {
  const input = (
    name: string,
    party: 'transit' | 'payments' | 'planning',
    individual: boolean,
  ) => ({
    name,
    party,
    connector: 'seeded-vector',
    axes: ['cell'],
    unit: 'value',
    cell: { min: 0, max: work === 'sum' ? 1_000_000 : 2047 },
    ...(individual
      ? { contribution: { total: 1, perCell: 1, enforcement: 'declared' as const } }
      : {}),
  });
  const sum = work === 'sum';
  return {
    id: `bench-${work}-${m}`,
    version: '1.0.0',
    title: `Benchmark: ${work} of ${m} cells`,
    summary: 'A synthetic workload for npm run bench.',
    parameters: [{ name: 'serviceDate', type: 'date', description: 'unused' }],
    privacyUnit: { entity: 'rider', window: 'service-day', scope: 'bench' },
    axes: [{ name: 'cell', source: { range: [0, m - 1] }, maxSize: m }],
    inputs: sum
      ? [input('a', 'transit', true), input('b', 'payments', true), input('c', 'planning', true)]
      : [input('a', 'transit', true), input('b', 'payments', false)],
    outputs: [
      {
        name: 'result',
        title: sum ? 'a + b + c' : 'a × b',
        expression: sum
          ? { add: [{ input: 'a' }, { input: 'b' }, { input: 'c' }] }
          : { multiply: [{ input: 'a' }, { input: 'b' }] },
        unit: 'value',
        budgetShare: '1',
      },
    ],
    derived: [],
    privacy: { mechanism: 'discrete-gaussian', minBudget: '1/1000', maxBudget: '1' },
    field: 'auto',
  };
}
