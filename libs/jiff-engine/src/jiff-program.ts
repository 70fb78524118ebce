import { planAxisSize, type PlanNode, type SessionPlan } from '#concord/protocol';
import { broadcastMap, reductionMap } from '#concord/engine';
import { JiffEngineError } from './jiff-engine-error.js';
import { fromResidue, noiseCommitment, toResidue } from './jiff-noise.js';
import type { StockBigNumber, StockJiffClient, StockSecretShare } from './stock-jiff.js';

const PARTIES = [1, 2, 3];
/** Cells handled per step: bounds the messages and dealer requests in flight at once. */
const BATCH = 1000;

type Sharing = Record<number, StockSecretShare>;

export interface JiffProgramInput {
  readonly plan: SessionPlan;
  readonly self: number;
  readonly prime: bigint;
  /** This party's inputs of the plan, by name (cell values within the declared bounds). */
  readonly inputs: ReadonlyMap<string, ArrayLike<number>>;
  /** This party's noise, one vector per output, as drawn from its pool at acceptance. */
  readonly noise: readonly ArrayLike<number>[];
  /** The shares of that noise dealt (and committed to) before any data: `[output][cell][party − 1]`. */
  readonly dealt: readonly (readonly (readonly bigint[])[])[];
  /** Each peer's commitment to the noise shares it deals this party. */
  readonly peerCommitments: ReadonlyMap<number, string>;
}

/**
 * Runs a plan on a ready stock JIFF client (bignumber extension, Zp = `prime`): shares every
 * party's noise (the shares dealt in advance, substituted through JIFF's `afterComputeShare`
 * hook, so each peer can check what it receives against the commitment) and the inputs, checks
 * the peers' noise shares against their commitments, evaluates the program node by node with
 * JIFF operations, adds the three noise sharings to each output and opens only the outputs.
 * Returns the opened values as signed integers, per output. Every party runs the same calls in
 * the same order, which is what keeps JIFF's operation ids aligned.
 */
export async function runJiffProgram(
  client: StockJiffClient,
  input: JiffProgramInput,
): Promise<bigint[][]> {
  const { plan, prime } = input;
  const big = (v: bigint): StockBigNumber => client.helpers.BigNumber(v.toString());
  let dealing: bigint[] | undefined;
  client.hooks.afterComputeShare.push((_client, shares) => {
    if (dealing === undefined) return shares;
    const dealt = dealing;
    dealing = undefined;
    return Object.fromEntries(PARTIES.map((p) => [p, big(dealt[p - 1])]));
  });

  // Noise first, then inputs: every party issues the same sharings in the same order (plan
  // order, cell by cell), in batches across outputs and inputs.
  const jobs: (() => Sharing)[] = [];
  for (const [o, output] of plan.outputs.entries()) {
    const vector = input.noise[o];
    for (let i = 0; i < output.length; i++) {
      jobs.push(() => {
        dealing = [...input.dealt[o][i]];
        return client.share(big(toResidue(BigInt(vector[i]), prime)));
      });
    }
  }
  for (const planInput of plan.inputs) {
    const mine = planInput.party === input.self ? input.inputs.get(planInput.name) : undefined;
    for (let i = 0; i < planInput.length; i++) {
      const secret = mine === undefined ? null : big(toResidue(BigInt(mine[i]), prime));
      jobs.push(() => client.share(secret, undefined, PARTIES, [planInput.party]));
    }
  }
  const sharings = await inBatches(jobs);
  let next = 0;
  const noise = plan.outputs.map((output) => sharings.slice(next, (next += output.length)));
  const inputs = new Map<string, StockSecretShare[]>();
  for (const planInput of plan.inputs) {
    const shares = sharings.slice(next, (next += planInput.length));
    inputs.set(
      planInput.name,
      shares.map((s) => s[planInput.party]),
    );
  }

  await checkNoise(input, noise);

  const sizes = new Map(plan.axes.map((a) => [a.name, planAxisSize(a)]));
  const values: StockSecretShare[][] = [];
  const context = { values, inputs, sizes, big, prime, nodes: plan.nodes };
  for (const node of plan.nodes) values.push(await evaluate(node, context));

  // Only the outputs are opened, each with all three noise sharings added; every cell of every
  // output in one sequence of batches.
  const noisy = plan.outputs.flatMap((output, o) =>
    values[output.node].map((share, i) =>
      share.sadd(noise[o][i][1]).sadd(noise[o][i][2]).sadd(noise[o][i][3]),
    ),
  );
  const opened: bigint[] = [];
  for (let start = 0; start < noisy.length; start += BATCH) {
    const batch = noisy.slice(start, start + BATCH).map((s) => client.open(s));
    for (const v of await Promise.all(batch)) opened.push(fromResidue(BigInt(v.toFixed()), prime));
  }
  let offset = 0;
  return plan.outputs.map((output) => opened.slice(offset, (offset += output.length)));
}

/** Issues the sharings `BATCH` at a time, waiting for each batch to arrive before the next. */
async function inBatches(jobs: readonly (() => Sharing)[]): Promise<Sharing[]> {
  const out: Sharing[] = [];
  for (let start = 0; start < jobs.length; start += BATCH) {
    const batch = jobs.slice(start, start + BATCH).map((share) => share());
    await settle(batch.flatMap((s) => Object.values(s)));
    out.push(...batch);
  }
  return out;
}

/** Waits until every share's value has arrived. */
async function settle(shares: readonly StockSecretShare[]): Promise<void> {
  for (const s of shares) if (!s.ready) await s.value;
}

async function valueOf(share: StockSecretShare): Promise<string> {
  const value = share.ready ? share.value : await share.value;
  return (value as StockBigNumber).toFixed();
}

/** Each peer's noise shares, as received, must be the ones it committed to before any data. */
async function checkNoise(input: JiffProgramInput, noise: readonly Sharing[][]): Promise<void> {
  for (const [peer, commitment] of input.peerCommitments) {
    const received: string[] = [];
    for (const output of noise) for (const cell of output) received.push(await valueOf(cell[peer]));
    if (noiseCommitment(input.plan.sessionId, peer, input.self, received) !== commitment) {
      throw new JiffEngineError(
        'noise-commitment-mismatch',
        `party ${peer}'s noise shares do not match its commitment`,
        [peer],
      );
    }
  }
}

interface EvaluationContext {
  readonly values: readonly StockSecretShare[][];
  readonly inputs: ReadonlyMap<string, StockSecretShare[]>;
  readonly sizes: ReadonlyMap<string, number>;
  readonly big: (v: bigint) => StockBigNumber;
  readonly prime: bigint;
  readonly nodes: readonly PlanNode[];
}

/**
 * One program node with JIFF operations: sums and constants are local; products go through
 * JIFF's Beaver triples (the JIFF endpoint deals them); `sumOver`, `broadcast` and `innerProduct`
 * are sums, copies and products over the plan's public index maps.
 */
async function evaluate(planNode: PlanNode, ctx: EvaluationContext): Promise<StockSecretShare[]> {
  const { values, inputs, sizes, big, prime, nodes } = ctx;
  const node = planNode.node;
  switch (node.op) {
    case 'input':
      return inputs.get(node.input) ?? missing(node.input);
    case 'add':
      return values[node.args[0]].map((first, i) =>
        node.args.slice(1).reduce((acc, a) => acc.sadd(values[a][i]), first),
      );
    case 'sub':
      return values[node.args[0]].map((x, i) => x.ssub(values[node.args[1]][i]));
    case 'scale': {
      const by = big(toResidue(BigInt(node.by), prime));
      return values[node.arg].map((x) => x.cmult(by));
    }
    case 'sumOver':
      return groupSums(
        values[node.arg],
        reductionMap(nodes[node.arg].axes, [node.axis], sizes),
        planNode.length,
      );
    case 'broadcast': {
      const map = broadcastMap(nodes[node.arg].axes, node.axes, sizes);
      return Array.from(map, (from) => values[node.arg][from]);
    }
    case 'multiply':
      return products(values[node.args[0]], values[node.args[1]]);
    case 'innerProduct':
      return groupSums(
        await products(values[node.args[0]], values[node.args[1]]),
        reductionMap(nodes[node.args[0]].axes, node.over, sizes),
        planNode.length,
      );
  }
}

/** Elementwise products, a batch at a time (each takes a triple from the dealer and two openings). */
async function products(
  x: readonly StockSecretShare[],
  y: readonly StockSecretShare[],
): Promise<StockSecretShare[]> {
  const out: StockSecretShare[] = [];
  for (let start = 0; start < x.length; start += BATCH) {
    const batch: StockSecretShare[] = [];
    for (let i = start; i < Math.min(x.length, start + BATCH); i++) batch.push(x[i].smult(y[i]));
    await settle(batch);
    out.push(...batch);
  }
  return out;
}

function groupSums(
  x: readonly StockSecretShare[],
  map: Int32Array,
  length: number,
): StockSecretShare[] {
  const out = new Array<StockSecretShare | undefined>(length);
  map.forEach((target, i) => {
    const acc = out[target];
    out[target] = acc === undefined ? x[i] : acc.sadd(x[i]);
  });
  return out.map((s) => s ?? missing('a group'));
}

function missing(what: string): never {
  throw new JiffEngineError('jiff-client-failed', `no shares for ${what}`);
}
