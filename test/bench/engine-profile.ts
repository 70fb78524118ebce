/**
 * `npm run bench:engine -- [m] [sum|multiply]`: the protocol engine alone, the three parties'
 * sessions in one thread with a perfect in-memory relay (no sockets, database or other
 * processes), so a CPU profile of it (`node --cpu-prof`) shows what the protocol itself costs
 * without the descheduling that inflates profiles of the real processes on two cores.
 */
import { Argument, Command, InvalidArgumentError } from 'commander';
import { generateIdentitySigner, seededRandom } from '#concord/crypto';
import { runSessionInProcess } from '#concord/engine';
import { analyzeProtocol, compileSessionPlan, parseProtocolDefinition } from '#concord/protocol';
import { benchProtocol } from './bench-protocols.js';
import { runPlaintext } from './plaintext.js';

const elements = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
};
const program = new Command('bench:engine')
  .addArgument(new Argument('[m]', 'elements per vector').argParser(elements).default(1_000_000))
  .addArgument(new Argument('[work]', 'the work').choices(['sum', 'multiply']).default('sum'))
  .parse();
const [m, work] = program.processedArgs as [number, 'sum' | 'multiply'];
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
const ms = performance.now() - t;
if (run.results.length !== 3) throw new Error(`only ${run.results.length} of 3 parties finished`);
const plain = runPlaintext(work, m);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(
  `engine alone, ${work} m=${fmt(m)}, three parties in one thread: ${fmt(ms)} ms ` +
    `(${fmt(m / (ms / 1000))} elements/s; plaintext ${plain.ms.toFixed(1)} ms, ${fmt(ms / plain.ms)}×); ` +
    // maxRSS is in KiB: the three parties' peak together, with this script's inputs.
    `peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB; ` +
    `GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? '(unset)'}`,
);
