import { Injectable } from '@nestjs/common';
import type { NodeEngine } from '#concord/wire';

/**
 * The engine each authenticated agency node announced at login (`native` when it announced none).
 * Written by the node gateway before the node counts as connected, read when a session is
 * invited: a session runs in JIFF mode only when all three connected nodes announced `jiff`.
 */
@Injectable()
export class NodeEngines {
  private readonly engines = new Map<number, NodeEngine>();

  announce(party: number, engine: NodeEngine): void {
    this.engines.set(party, engine);
  }

  engineOf(party: number): NodeEngine {
    return this.engines.get(party) ?? 'native';
  }

  /** The one engine all `parties` run, or undefined when they differ. */
  commonEngine(parties: readonly number[]): NodeEngine | undefined {
    const engines = new Set(parties.map((p) => this.engineOf(p)));
    return engines.size === 1 ? [...engines][0] : undefined;
  }

  /** `party 1: jiff, party 2: native, …`, for abort messages. */
  describe(parties: readonly number[]): string {
    return parties.map((p) => `party ${p}: ${this.engineOf(p)}`).join(', ');
  }
}
