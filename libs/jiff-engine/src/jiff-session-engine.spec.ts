import { describe, expect, it, vi } from 'vitest';
import { generateIdentitySigner, seededRandom, toHex } from '#concord/crypto';
import {
  type EngineOutput,
  releaseDigestOf,
  type SessionResult,
  verifyAcceptance,
} from '#concord/engine';
import {
  compileSessionPlan,
  outputErrorBars,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { appendEntry, type TranscriptEntry, verifySeal } from '#concord/transcript';
import { JIFF_SOCKET_PATH } from '#concord/wire';
import type { JiffClientConfig, JiffClientOutcome } from './jiff-client-session.js';
import { JiffEngineError } from './jiff-engine-error.js';
import type { JiffRunner } from './jiff-runner.js';
import { JiffSessionEngine } from './jiff-session-engine.js';

/**
 * The JIFF engine's session flow with a stand-in for the stock client (a runner that hands back
 * a chosen outcome): what it signs, what it refuses, what a resumed session may repeat, how the
 * go-ahead reports, and sealing. The stock client itself runs in test/jiff/jiff-engine.spec.ts.
 */
const PARTIES = [1, 2, 3] as const;
const identities = PARTIES.map((p) => generateIdentitySigner(seededRandom(`engine-spec-${p}`)));
const pinned = new Map<PartyIndex, Uint8Array>(
  PARTIES.map((p) => [p, identities[p - 1].publicKey]),
);
const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
const plan: SessionPlan = compileSessionPlan(entry.analysis, {
  sessionId: '0d6c2f7e-58b1-4f0a-9a3e-5d2c1b0a9f8e',
  parameters: { serviceDate: '2026-03-10' },
  axisValues: { route: ['R1'] },
  budget: '1/2',
  parties: { transit: 1, payments: 2, planning: 3 },
});
const noiseOf = (p: number): number[][] =>
  plan.outputs.map((o) => Array.from({ length: o.length }, (_, i) => (p + i) % 5));
const inputsOf = (p: number): Map<string, number[]> =>
  new Map(
    plan.inputs
      .filter((i) => i.party === p)
      .map((i) => [i.name, new Array<number>(i.length).fill(i.cell.min)]),
  );
/** What the endpoint relayed per direction, as both ends counted it. */
const relayed = new Map(
  ['1>2', '1>3', '2>1', '2>3', '3>1', '3>2'].map((d, i) => [
    d,
    { messages: 10 + i, digest: toHex(new Uint8Array(32).fill(i + 1)) },
  ]),
);
const opened = plan.outputs.map((o) => Array.from({ length: o.length }, (_, i) => BigInt(i - 2)));
const outcomeOf = (p: number): JiffClientOutcome => ({
  outputs: opened,
  relay: [...relayed].filter(([d]) => d.split('>').includes(String(p))),
});

/** A runner whose outcome the test settles; records the configs and stops it received. */
function controlledRunner(): {
  runner: JiffRunner;
  configs: JiffClientConfig[];
  stops: number;
  settle(outcome: JiffClientOutcome | Error): void;
} {
  let settle: (outcome: JiffClientOutcome | Error) => void = () => undefined;
  const outcome = new Promise<JiffClientOutcome>((resolve, reject) => {
    settle = (o) => (o instanceof Error ? reject(o) : resolve(o));
  });
  const control = {
    configs: [] as JiffClientConfig[],
    stops: 0,
    settle: (o: JiffClientOutcome | Error) => settle(o),
    runner: (config: JiffClientConfig) => {
      control.configs.push(config);
      return { outcome, stop: () => (control.stops += 1) };
    },
  };
  return control;
}

/** An EngineOutput recording what the engine reported. */
function recorder(): EngineOutput & {
  readonly finishedWith: SessionResult[];
  readonly failedWith: unknown[];
  reported(): Promise<void>;
} {
  const finishedWith: SessionResult[] = [];
  const failedWith: unknown[] = [];
  let done: () => void = () => undefined;
  const reported = new Promise<void>((resolve) => (done = resolve));
  return {
    finishedWith,
    failedWith,
    reported: () => reported,
    hasRoom: () => true,
    send: () => {
      throw new Error('the JIFF engine sends no envelopes');
    },
    finished: (r) => {
      finishedWith.push(r);
      done();
    },
    failed: (e) => {
      failedWith.push(e);
      done();
    },
  };
}

/** Three engines through acceptances and commitments, ready for the go-ahead. */
function committedEngines(runners: readonly JiffRunner[]): JiffSessionEngine[] {
  const engines = PARTIES.map(
    (p) =>
      new JiffSessionEngine({
        self: p,
        plan,
        identity: identities[p - 1],
        pinnedKeys: pinned,
        rng: seededRandom(`engine-${p}`),
        coordinatorUrl: 'https://concord.example.org/api/v1',
        runner: runners[p - 1],
      }),
  );
  const acceptances = engines.map((e) => e.acceptance());
  for (const e of engines) e.receiveAcceptances(acceptances);
  const commitments = engines.map((e, i) => e.commitNoise(noiseOf(i + 1)));
  for (const e of engines)
    for (const c of commitments) if (c.party !== e.self) e.receiveCommitment(c);
  return engines;
}

describe('the JIFF session engine', () => {
  it('signs its session key and its JIFF key, bound to the plan', () => {
    const [engine] = committedEngines([controlledRunner().runner]);
    const a = engine.acceptance();
    expect(engine.kind).toBe('jiff');
    expect(a.jiffKey).toMatch(/^[0-9a-f]{64}$/);
    expect(a.jiffKey).not.toBe(a.sessionKey);
    expect(a.planHash).toBe(engine.planHash);
    expect(verifyAcceptance(identities[0].publicKey, a)).toBe(true);
    expect(verifyAcceptance(identities[1].publicKey, a)).toBe(false);
  });

  it('takes what a resumed session repeats as no-ops, and refuses anything different', () => {
    const engines = committedEngines(PARTIES.map(() => controlledRunner().runner));
    const [one, two, three] = engines;
    const acceptances = engines.map((e) => e.acceptance());
    one.receiveAcceptances(acceptances);
    expect(one.commitNoise(noiseOf(1))).toEqual(one.sealView().commitment);
    const fromTwo = two.commitNoise(noiseOf(2));
    one.receiveCommitment(fromTwo);
    expect(one.sealView().receivedCommitments.get(2)).toBe(fromTwo.commitments['1']);

    const other = new JiffSessionEngine({
      self: 2,
      plan,
      identity: identities[1],
      pinnedKeys: pinned,
      rng: seededRandom('another-two'),
      coordinatorUrl: 'https://concord.example.org',
    });
    expect(() =>
      one.receiveAcceptances([acceptances[0], other.acceptance(), acceptances[2]]),
    ).toThrow(expect.objectContaining({ code: 'peer-key-invalid', suspects: [2] }));
    expect(() => one.commitNoise(noiseOf(3))).toThrow(
      expect.objectContaining({ code: 'wrong-phase' }),
    );
    const altered = { ...fromTwo, commitments: { ...fromTwo.commitments, '1': 'ab'.repeat(32) } };
    expect(() => one.receiveCommitment(altered)).toThrow(
      expect.objectContaining({ code: 'unexpected-message', suspects: [2] }),
    );
    expect(() => three.receiveCommitment({ ...fromTwo, sessionId: 'another' })).toThrow(
      expect.objectContaining({ code: 'unexpected-message' }),
    );
  });

  it('starts the client once, with the signed keys and its own inputs only, and reports the result', async () => {
    const control = controlledRunner();
    const [engine] = committedEngines([control.runner]);
    const out = recorder();
    engine.begin(inputsOf(1), out);
    engine.begin(inputsOf(1), out);
    expect(control.configs).toHaveLength(1);
    expect(engine.noiseDealt).toBe(true);
    const [config] = control.configs;
    expect(config.url).toBe('https://concord.example.org');
    expect(config.socketPath).toBe(JIFF_SOCKET_PATH);
    expect(config.prime).toBe(engine.prime.toString());
    expect([...config.inputs.keys()]).toEqual([...inputsOf(1).keys()]);
    for (const p of PARTIES) {
      expect(toHex(config.jiffKeys[p])).toBe(engine.sealView().acceptedBy.get(p)?.jiffKey);
    }
    control.settle(outcomeOf(1));
    await out.reported();
    expect(out.failedWith).toEqual([]);
    expect(out.finishedWith).toHaveLength(1);
    expect(out.finishedWith[0]).toBe(engine.result);
    expect(engine.result?.outputs.map((o) => o.name)).toEqual(plan.outputs.map((o) => o.name));
    engine.begin(inputsOf(1), out);
    expect(control.configs).toHaveLength(1);
  });

  it('refuses the go-ahead before both commitments, or for inputs outside their bounds', () => {
    const control = controlledRunner();
    const lone = new JiffSessionEngine({
      self: 1,
      plan,
      identity: identities[0],
      pinnedKeys: pinned,
      rng: seededRandom('lone'),
      coordinatorUrl: 'https://concord.example.org',
      runner: control.runner,
    });
    expect(() => lone.begin(inputsOf(1), recorder())).toThrow(
      expect.objectContaining({ code: 'wrong-phase' }),
    );
    const [engine] = committedEngines([control.runner]);
    const [input] = plan.inputs.filter((i) => i.party === 1);
    const tooBig = new Map([
      [input.name, new Array<number>(input.length).fill(input.cell.max + 1)],
    ]);
    expect(() => engine.begin(tooBig, recorder())).toThrow(
      expect.objectContaining({ code: 'input-out-of-bounds' }),
    );
    expect(() => engine.begin(new Map(), recorder())).toThrow(
      expect.objectContaining({ code: 'input-out-of-bounds' }),
    );
    expect(control.configs).toHaveLength(0);
    expect(engine.noiseDealt).toBe(false);
  });

  it('reports a failed client, a throwing runner and a throwing `finished` as failures', async () => {
    const failing = controlledRunner();
    const throwing: JiffRunner = () => {
      throw new JiffEngineError('jiff-client-failed', 'no worker');
    };
    const finishing = controlledRunner();
    const [one, two, three] = committedEngines([failing.runner, throwing, finishing.runner]);

    const outOne = recorder();
    one.begin(inputsOf(1), outOne);
    failing.settle(new JiffEngineError('jiff-key-mismatch', 'wrong key', [2]));
    await outOne.reported();
    expect(outOne.failedWith).toEqual([expect.objectContaining({ code: 'jiff-key-mismatch' })]);
    expect(one.result).toBeUndefined();

    const outTwo = recorder();
    two.begin(inputsOf(2), outTwo);
    await outTwo.reported();
    expect(outTwo.failedWith).toEqual([expect.objectContaining({ message: 'no worker' })]);

    const outThree = recorder();
    const broken = new Error('the node’s handler broke');
    three.begin(inputsOf(3), {
      ...outThree,
      finished: () => {
        throw broken;
      },
    });
    finishing.settle(outcomeOf(3));
    await outThree.reported();
    expect(outThree.failedWith).toEqual([broken]);
  });

  it('reports a result outside the plan’s field as a corrupted computation', async () => {
    const control = controlledRunner();
    const [engine] = committedEngines([control.runner]);
    const out = recorder();
    engine.begin(inputsOf(1), out);
    const huge = opened.map((o) => o.map(() => 2n ** 126n));
    control.settle({ ...outcomeOf(1), outputs: huge });
    await out.reported();
    expect(out.failedWith).toEqual([expect.objectContaining({ code: 'output-out-of-range' })]);
  });

  it('once stopped, stops the client and reports nothing', async () => {
    const control = controlledRunner();
    const [engine] = committedEngines([control.runner]);
    const out = { ...recorder(), finished: vi.fn(), failed: vi.fn() };
    engine.begin(inputsOf(1), out);
    engine.stop();
    engine.stop();
    expect(control.stops).toBe(1);
    expect(control.configs[0].secretKey.every((b) => b === 0)).toBe(true);
    control.settle(new JiffEngineError('jiff-client-failed', 'the JIFF client stopped'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(out.finished).not.toHaveBeenCalled();
    expect(out.failed).not.toHaveBeenCalled();
    engine.begin(inputsOf(1), out);
    expect(control.configs).toHaveLength(1);
  });

  it('refuses native envelopes', () => {
    const [engine] = committedEngines([controlledRunner().runner]);
    expect(() => engine.receiveEnvelope()).toThrow(
      expect.objectContaining({ code: 'unexpected-envelope', domain: 'jiff-engine' }),
    );
  });

  it('seals a transcript that matches its view, and refuses one that does not', async () => {
    const controls = PARTIES.map(() => controlledRunner());
    const engines = committedEngines(controls.map((c) => c.runner));
    const results = engines.map((e, i) => {
      const out = recorder();
      e.begin(inputsOf(i + 1), out);
      controls[i].settle(outcomeOf(i + 1));
      return out.reported().then(() => out.finishedWith[0]);
    });
    const [result] = await Promise.all(results);
    const entries: TranscriptEntry[] = [];
    const push = (kind: TranscriptEntry['kind'], body: Record<string, unknown>): void => {
      entries.push(appendEntry(plan.sessionId, entries.at(-1), kind, body as never, new Date(0)));
    };
    push('session.created', {
      protocol: plan.protocol,
      planHash: engines[0].planHash,
      parameters: plan.parameters,
      budget: plan.budget,
      requestId: 'jiff-engine-seal',
      requestedBy: 'analyst',
      ledger: {
        scope: plan.privacyUnit.scope,
        window: plan.privacyUnit.window,
        rho: plan.budget.rho,
        xi: plan.budget.xi,
      },
    });
    for (const e of engines) {
      const a = e.acceptance();
      push('party.accepted', {
        party: a.party,
        agency: `agency-${a.party}`,
        sessionKey: a.sessionKey,
        jiffKey: a.jiffKey,
        signature: a.signature,
      });
    }
    for (const e of engines) {
      const c = e.sealView().commitment!;
      push('noise.committed', { party: c.party, commitments: c.commitments });
    }
    push('jiff.started', {
      computationId: plan.sessionId,
      prime: engines[0].prime.toString(),
      partyCount: 3,
      path: JIFF_SOCKET_PATH,
    });
    for (const p of PARTIES) push('party.result', { party: p, resultDigest: result.digest });
    for (const [d, r] of relayed) {
      const [from, to] = d.split('>').map(Number);
      push('jiff.relay', { from, to, ...r });
    }
    push('session.results', {
      resultDigest: result.digest,
      releaseDigest: releaseDigestOf(plan, result, 2),
      releaseDigestVersion: 2,
      outputs: plan.outputs.map((o) => ({
        name: o.name,
        cells: o.length,
        intervalHalfWidth: outputErrorBars(o).halfWidth.toString(),
      })),
    });

    for (const [i, e] of engines.entries()) {
      const seal = e.seal(entries, identities[i]);
      expect(seal.headHash).toBe(entries.at(-1)!.hash);
      expect(
        verifySeal(identities[i].publicKey, plan.sessionId, seal.headHash, seal.signature),
      ).toBe(true);
    }
    expect(() => engines[0].seal(entries.slice(0, -1), identities[0])).toThrow(
      expect.objectContaining({ code: 'transcript-mismatch' }),
    );
  });
});
