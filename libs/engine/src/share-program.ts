import type { RandomSource } from '#concord/crypto';
import {
  add as addVectors,
  type FieldVector,
  gather,
  groupedSums,
  linearCombination,
  sub,
} from '#concord/field';
import type { PlanNode } from '#concord/protocol';
import {
  finishMultiplication,
  type MultiplicationState,
  type PartyIndex,
  type ShareMessage,
  startInnerProducts,
  startMultiplication,
} from '#concord/sharing';
import { EngineError } from './engine-error.js';
import { broadcastMap, reductionMap } from './grid-index.js';

/**
 * Evaluates a plan's program on this party's shares, one multiplication level at a time.
 * Linear nodes are local; each product node starts a resharing whose messages the session
 * sends in one round per level, batched across all products of that level.
 */
export class ShareProgram {
  private readonly values: (FieldVector | undefined)[];
  private readonly pending = new Map<number, MultiplicationState>();

  constructor(
    private readonly self: PartyIndex,
    private readonly nodes: readonly PlanNode[],
    private readonly sizes: ReadonlyMap<string, number>,
  ) {
    this.values = new Array<FieldVector | undefined>(nodes.length);
  }

  get levels(): number {
    return Math.max(0, ...this.nodes.map((n) => n.level));
  }

  /** Sets the shares of an input node from the input round. */
  setInput(name: string, share: FieldVector): void {
    const i = this.nodes.findIndex((n) => n.node.op === 'input' && n.node.input === name);
    if (i >= 0) this.values[i] = share;
  }

  value(node: number): FieldVector {
    const v = this.values[node];
    if (!v) throw new EngineError('wrong-phase', `node ${node} has no value yet`);
    return v;
  }

  /** Evaluates every linear node of `level` (their operands are all available by then). */
  evaluateLinear(level: number): void {
    this.nodes.forEach((n, i) => {
      if (n.level !== level || this.values[i]) return;
      const node = n.node;
      switch (node.op) {
        case 'input':
          throw new EngineError('wrong-phase', `input ${node.input} was not shared`);
        case 'add':
          this.values[i] = node.args
            .slice(1)
            .reduce((acc, a) => addVectors(acc, this.value(a)), this.value(node.args[0]));
          return;
        case 'sub':
          this.values[i] = sub(this.value(node.args[0]), this.value(node.args[1]));
          return;
        case 'scale':
          this.values[i] = linearCombination([
            { coefficient: BigInt(node.by), vector: this.value(node.arg) },
          ]);
          return;
        case 'sumOver': {
          const from = this.nodes[node.arg];
          this.values[i] = groupedSums(
            this.value(node.arg),
            reductionMap(from.axes, [node.axis], this.sizes),
            n.length,
          );
          return;
        }
        case 'broadcast':
          this.values[i] = gather(
            this.value(node.arg),
            broadcastMap(this.nodes[node.arg].axes, node.axes, this.sizes),
          );
          return;
        case 'multiply':
        case 'innerProduct':
          return; // evaluated by the resharing round of its level
      }
    });
  }

  /** Starts every product of `level`; returns, per peer, the reshare messages in node order. */
  startProducts(level: number, rng: RandomSource): Map<PartyIndex, ShareMessage[]> {
    const outbound = new Map<PartyIndex, ShareMessage[]>();
    for (const i of this.productsAt(level)) {
      const node = this.nodes[i].node;
      if (node.op !== 'multiply' && node.op !== 'innerProduct') continue;
      const [x, y] = [this.value(node.args[0]), this.value(node.args[1])];
      const start =
        node.op === 'multiply'
          ? startMultiplication(this.self, x, y, rng)
          : startInnerProducts(
              this.self,
              x,
              y,
              reductionMap(this.nodes[node.args[0]].axes, node.over, this.sizes),
              this.nodes[i].length,
              rng,
            );
      this.pending.set(i, start.state);
      for (const [peer, message] of start.outbound) {
        const list = outbound.get(peer) ?? [];
        list.push(message);
        outbound.set(peer, list);
      }
    }
    return outbound;
  }

  /** The (node, length) of each product of `level`, in the order their reshares travel. */
  productsAt(level: number): number[] {
    return this.nodes.flatMap((n, i) =>
      n.level === level && (n.node.op === 'multiply' || n.node.op === 'innerProduct') ? [i] : [],
    );
  }

  /** Completes the products of `level` from the peers' reshares (each list in node order). */
  finishProducts(level: number, inbound: ReadonlyMap<PartyIndex, readonly ShareMessage[]>): void {
    this.productsAt(level).forEach((node, k) => {
      const state = this.pending.get(node);
      if (!state) throw new EngineError('wrong-phase', `product ${node} was not started`);
      const messages = new Map<PartyIndex, ShareMessage>();
      for (const [peer, list] of inbound) messages.set(peer, list[k]);
      this.values[node] = finishMultiplication(state, messages);
      this.pending.delete(node);
    });
  }
}
