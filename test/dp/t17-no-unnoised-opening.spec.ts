import { describe, expect, it } from 'vitest';
import { type RandomSource, seededRandom } from '#concord/crypto';
import type { FieldVector } from '#concord/field';
import {
  EngineError,
  type InProcessParty,
  type PendingEnvelope,
  outputValues,
  PartySession,
  runSessionInProcess,
} from '#concord/engine';
import {
  analyzeProtocol,
  compileSessionPlan,
  parseProtocolDefinition,
  planAxisSize,
  planHash,
  ProtocolError,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { PARTY_OF_ROLE, testIdentities } from './support/parties.js';
import {
  distinctiveNoise,
  evaluate,
  randomInputs,
  randomProtocol,
} from './support/random-protocol.js';

// T17 no un-noised opening (docs/privacy.md): over random query plans run in process, every
// opened value has a plan entry and carries all three parties' noise sharings, committed before
// it was opened (0 violations); and a plan asking for an intermediate value cannot be expressed,
// or, if edited in, is refused before anything is sent.
//
// Instrumented through PartySession's test hooks: `openShares` (the values this party opens) and
// `seal` (every payload that leaves it). Each party's noise is a nonzero random vector, so the
// opened value equals f(D) + eta_1 + eta_2 + eta_3 only if every noise sharing is in it; f(D) is
// recomputed by a plain evaluator of the protocol language, independent of the engine.
//
// CI: 40 random plans (three in-process parties each; key agreement dominates at ~0.2 s a run on
// the loaded CI box). Full suite (CONCORD_STATISTICAL_SUITE=full): 10^3.

const FULL = process.env.CONCORD_STATISTICAL_SUITE === 'full';
const PLANS = FULL ? 1000 : 40;
const identities = testIdentities('t17');

interface Observation {
  readonly party: PartyIndex;
  readonly event: 'open-shares' | 'seal';
  readonly round?: string;
  readonly ownCommitment?: boolean;
  readonly peerCommitments?: number;
  readonly lengths?: readonly number[];
}

/** A party that reports every opening and every payload it seals. */
function instrumented(log: Observation[]) {
  return class InstrumentedSession extends PartySession {
    protected override openShares(): FieldVector[] {
      const shares = super.openShares();
      log.push({
        party: this.self,
        event: 'open-shares',
        ownCommitment: this.commitment !== undefined,
        peerCommitments: this.receivedCommitments.size,
        lengths: shares.map((s) => s.data.length / s.field.limbs),
      });
      return shares;
    }

    protected override seal(
      round: string,
      to: PartyIndex,
      payload: readonly Uint8Array[],
    ): PendingEnvelope[] {
      log.push({ party: this.self, event: 'seal', round });
      return super.seal(round, to, payload);
    }
  };
}

function parties(rng: RandomSource, plan: SessionPlan) {
  const inputs = randomInputs(rng, plan);
  const noise = [
    distinctiveNoise(rng, plan),
    distinctiveNoise(rng, plan),
    distinctiveNoise(rng, plan),
  ];
  const own = (p: PartyIndex): Map<string, number[]> =>
    new Map(plan.inputs.filter((i) => i.party === p).map((i) => [i.name, inputs.get(i.name)!]));
  const list = ([1, 2, 3] as const).map((p): InProcessParty => ({
    identity: identities[p - 1],
    inputs: own(p),
    noise: noise[p - 1],
    rng: seededRandom(`t17/party/${plan.sessionId}/${p}`),
  })) as [InProcessParty, InProcessParty, InProcessParty];
  return { inputs, noise, list };
}

describe('T17 no un-noised opening', { timeout: 60_000 }, () => {
  it(
    `over ${PLANS} random plans, every opened value has a plan entry and all three noise sharings`,
    () => {
      const rng = seededRandom('t17/plans');
      const violations: string[] = [];
      let refusedCandidates = 0;
      const operations = new Set<string>();
      for (let k = 0; k < PLANS; k++) {
        const { definition, plan, attempts } = randomProtocol(rng, k);
        refusedCandidates += attempts - 1;
        JSON.stringify(definition.outputs, (key, value: unknown) => {
          if (
            ['add', 'sub', 'scale', 'sumOver', 'broadcast', 'multiply', 'innerProduct'].includes(
              key,
            )
          )
            operations.add(key);
          return value;
        });
        const { inputs, noise, list } = parties(rng, plan);
        const log: Observation[] = [];
        const Session = instrumented(log);
        const run = runSessionInProcess(plan, list, { createSession: (o) => new Session(o) });
        const fail = (why: string) => violations.push(`plan ${k} (${plan.protocol.id}): ${why}`);
        if (run.errors.size > 0 || run.results.length !== 3) {
          fail(`run did not complete: ${[...run.errors.values()].map((e) => e.code).join()}`);
          continue;
        }

        for (const p of [1, 2, 3] as const) {
          const mine = log.filter((o) => o.party === p);
          const opened = mine.filter((o) => o.event === 'open-shares');
          if (opened.length !== 1) fail(`party ${p} opened ${opened.length} times`);
          const o = opened[0];
          if (!o?.ownCommitment || o.peerCommitments !== 2)
            fail(`party ${p} opened before all three noise commitments were fixed`);
          if (JSON.stringify(o?.lengths) !== JSON.stringify(plan.outputs.map((x) => x.length)))
            fail(`party ${p} opened vectors that are not exactly the plan's outputs`);
          const openedAt = mine.indexOf(o);
          const openSeals = mine.filter((x) => x.event === 'seal' && x.round === 'open');
          if (openSeals.length !== 2) fail(`party ${p} sent ${openSeals.length} opening payloads`);
          if (mine.findIndex((x) => x.event === 'seal' && x.round === 'open') < openedAt)
            fail(`party ${p} sent an opening before computing it`);
          const rounds = new Set(mine.filter((x) => x.event === 'seal').map((x) => x.round));
          for (const round of rounds)
            if (round !== 'input' && round !== 'open' && !/^mul-\d+$/.test(round ?? ''))
              fail(`party ${p} sealed an unknown round ${round}`);
        }

        const sizes = new Map(plan.axes.map((a) => [a.name, planAxisSize(a)]));
        const tensors = new Map(
          plan.inputs.map((i) => [i.name, { axes: i.axes, data: inputs.get(i.name)!.map(BigInt) }]),
        );
        const digests = new Set(run.results.map((r) => r.digest));
        if (digests.size !== 1) fail('parties reconstructed different results');
        definition.outputs.forEach((def, i) => {
          const exact = evaluate(def.expression, tensors, sizes).data;
          const expected = exact.map(
            (v, c) => v + noise[0][i][c] + noise[1][i][c] + noise[2][i][c],
          );
          const got = run.results[0].outputs[i];
          if (got.name !== plan.outputs[i].name) fail(`output ${i} opened under another name`);
          if (outputValues(got).join() !== expected.join())
            fail(`output ${def.name} is not f(D) plus all three parties' noise`);
        });
      }
      expect(violations).toEqual([]);
      // The generator exercised the whole language and the analysis refused some candidates.
      expect([...operations].sort()).toEqual(
        ['add', 'broadcast', 'innerProduct', 'multiply', 'scale', 'sub', 'sumOver'].sort(),
      );
      expect(refusedCandidates).toBeGreaterThan(0);
    },
    FULL ? 3_600_000 : 180_000,
  );

  describe('an intermediate value cannot be opened', () => {
    const base = {
      id: 'intermediate',
      version: '1.0.0',
      title: 'Intermediate',
      summary: 'Taps times a public indicator.',
      parameters: [{ name: 'serviceDate', type: 'date', description: 'The service day.' }],
      privacyUnit: { entity: 'rider', window: 'service-day', scope: 'test' },
      axes: [{ name: 'stop', source: { range: [0, 3] }, maxSize: 4 }],
      inputs: [
        {
          name: 'taps',
          party: 'payments',
          connector: 'taps',
          axes: ['stop'],
          unit: 'taps',
          cell: { min: 0, max: 100 },
          contribution: { total: 8, perCell: 8, enforcement: 'connector' },
        },
        {
          name: 'flag',
          party: 'planning',
          connector: 'flags',
          axes: ['stop'],
          unit: 'indicator',
          cell: { min: 0, max: 1 },
        },
      ],
      outputs: [
        {
          name: 'flagged',
          title: 'Taps at flagged stops',
          expression: {
            sumOver: { of: { multiply: [{ input: 'taps' }, { input: 'flag' }] }, axis: 'stop' },
          },
          unit: 'taps',
          budgetShare: '1',
        },
      ],
      derived: [],
      privacy: { mechanism: 'discrete-gaussian', minBudget: '1/100', maxBudget: '1' },
      field: 'auto',
    };
    const withOutputs = (outputs: unknown[], extra: Record<string, unknown> = {}) => ({
      ...base,
      outputs,
      ...extra,
    });

    it('the language has no way to name one: only declared outputs, each with its own noise', () => {
      const refuse = (json: unknown, code: string) => {
        try {
          analyzeProtocol(parseProtocolDefinition(json));
        } catch (e) {
          expect(e).toBeInstanceOf(ProtocolError);
          expect((e as ProtocolError).code).toBe(code);
          return;
        }
        throw new Error('expected a refusal');
      };
      const output = base.outputs[0];
      // A reference to a program node, or to a name that is not an input.
      refuse(withOutputs([{ ...output, expression: { node: 1 } }]), 'invalid-definition');
      refuse(withOutputs([{ ...output, expression: { input: 'product' } }]), 'invalid-expression');
      // An output without noise (no budget share), or a second opening outside the outputs list.
      refuse(withOutputs([{ ...output, budgetShare: '0' }]), 'invalid-definition');
      refuse({ ...base, open: ['flagged'] }, 'invalid-definition');
      // A value that depends on no rider (the private indicator itself) cannot be an output.
      refuse(
        withOutputs([
          { ...output, expression: { sumOver: { of: { input: 'flag' }, axis: 'stop' } } },
        ]),
        'sensitivity-unbounded',
      );
      // Derived values are post-processing of released outputs only.
      refuse(
        withOutputs(base.outputs, {
          derived: [
            { name: 'ratio', title: 'Ratio', numerator: 'flagged', denominator: 'taps', unit: 'x' },
          ],
        }),
        'invalid-definition',
      );
    });

    it('a plan edited to open an intermediate node is refused before anything is sent', () => {
      const analysis = analyzeProtocol(parseProtocolDefinition(base));
      const plan = compileSessionPlan(analysis, {
        sessionId: '00000000-0000-4000-8000-000000000017',
        parameters: { serviceDate: '2026-03-10' },
        axisValues: {},
        budget: '1/2',
        parties: PARTY_OF_ROLE,
      });
      // The elementwise product (before the sum) and the raw taps are intermediate nodes.
      const intermediates = plan.nodes
        .map((n, i) => ({ n, i }))
        .filter(({ i }) => !plan.outputs.some((o) => o.node === i));
      expect(intermediates.length).toBeGreaterThan(0);
      for (const { n, i } of intermediates) {
        const edited: SessionPlan = {
          ...plan,
          outputs: [{ ...plan.outputs[0], node: i, axes: n.axes, length: n.length }],
        };
        // A node recompiles the plan from its own catalogue copy: the hashes differ.
        expect(planHash(edited)).not.toBe(planHash(plan));
        // A party running the edited plan is refused by the honest two at key agreement.
        const zero = (p: SessionPlan) => p.outputs.map((o) => new Array<bigint>(o.length).fill(0n));
        const sent: string[] = [];
        let error: unknown;
        try {
          runSessionInProcess(
            plan,
            ([1, 2, 3] as const).map((p): InProcessParty => ({
              identity: identities[p - 1],
              inputs: new Map(
                p === 2 ? [['taps', [1, 2, 3, 4]]] : p === 3 ? [['flag', [1, 0, 1, 0]]] : [],
              ),
              noise: zero(p === 3 ? edited : plan),
              rng: seededRandom(`t17/edited/${p}`),
            })) as [InProcessParty, InProcessParty, InProcessParty],
            {
              createSession: (o) =>
                o.self === 3 ? new PartySession({ ...o, plan: edited }) : new PartySession(o),
              relay: (e) => {
                sent.push(e.header.round);
                return e.bytes;
              },
            },
          );
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(EngineError);
        expect((error as EngineError).code).toBe('peer-key-invalid');
        expect((error as EngineError).suspects).toEqual([3]);
        expect(sent).toEqual([]);
      }
    });

    it('the catalogue protocols open exactly their declared outputs', () => {
      for (const entry of readCatalogueDirectory('protocols').entries()) {
        const d = entry.analysis.definition;
        expect(entry.analysis.outputs.map((o) => o.name)).toEqual(d.outputs.map((o) => o.name));
      }
    });
  });
});
