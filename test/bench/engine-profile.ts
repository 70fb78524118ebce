import { generateIdentitySigner, seededRandom } from '#concord/crypto';
import { runSessionInProcess } from '#concord/engine';
import { analyzeProtocol, compileSessionPlan, parseProtocolDefinition } from '#concord/protocol';
import { benchProtocol } from './bench-protocols.js';

const m = Number(process.argv[2] ?? 1e6);
const work = (process.argv[3] ?? 'sum') as 'sum' | 'multiply';
const a = analyzeProtocol(
  parseProtocolDefinition(JSON.parse(JSON.stringify(benchProtocol(work, m)))),
);
const plan = compileSessionPlan(a, {
  sessionId: 's',
  parameters: { serviceDate: '2026-01-01' },
  axisValues: {},
  budget: '1/2',
  parties: { transit: 1, payments: 2, planning: 3 },
});
const v = Float64Array.from({ length: m }, (_, i) => i % 2000);
const zero = [new Float64Array(m)];
const ids = [0, 1, 2].map(() => generateIdentitySigner(seededRandom('x')));
const inputs = work === 'sum' ? [[['a', v]], [['b', v]], [['c', v]]] : [[['a', v]], [['b', v]], []];
const t = performance.now();
const run = runSessionInProcess(
  plan,
  [0, 1, 2].map((i) => ({
    identity: ids[i],
    inputs: new Map(inputs[i] as [string, Float64Array][]),
    noise: zero,
    rng: seededRandom(`p${i}`),
  })) as never,
);
console.log(work, m, (performance.now() - t).toFixed(0), 'ms', run.results.length);
