import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  generateIdentitySigner,
  generateSessionKeyPair,
  type IdentitySigner,
  seededRandom,
} from '#concord/crypto';
import {
  type InProcessParty,
  runSessionInProcess,
  type SessionEngine,
  type SessionResult,
} from '#concord/engine';
import {
  dealNoise,
  inThreadRunner,
  type JiffClientConfig,
  type JiffRunner,
  JiffSessionEngine,
  noiseCommitment,
  runJiffClientSession,
  sharesFor,
  workerRunner,
} from '#concord/jiff-engine';
import { type JiffRelay, relaySetDigest } from '#concord/jiff-server';
import {
  analyzeProtocol,
  compileSessionPlan,
  parseProtocolDefinition,
  type SessionPlan,
} from '#concord/protocol';
import type { PartyIndex } from '#concord/sharing';
import { JIFF_SOCKET_PATH, signJiffCredential, verifyJiffCredential } from '#concord/wire';
import { startServer, type TestServer } from './support/jiff-harness.js';

// The stock client logs with console.log ("Connected!", errors).
vi.spyOn(console, 'log').mockImplementation(() => undefined);

/**
 * The JIFF engine of agency nodes, in one process: three `JiffSessionEngine`s, driven through the
 * `SessionEngine` interface as a node drives them, whose stock clients (bignumber extension only:
 * base clients never load in this file) run against the JIFF core behind the coordinator's
 * adapter, on a plan using every program operation. The opened result must be exactly the native
 * engine's for the same inputs and noise.
 */
const PARTIES = [1, 2, 3] as const;
const identities = PARTIES.map((p) => generateIdentitySigner(seededRandom(`jiff-engine-${p}`)));
const pinned = new Map<PartyIndex, Uint8Array>(
  PARTIES.map((p) => [p, identities[p - 1].publicKey]),
);

/** A protocol exercising input, add, sub, scale, sumOver, broadcast, multiply and innerProduct. */
const definition = {
  id: 'jiff-engine-ops',
  version: '1.0.0',
  title: 'Every program operation',
  summary: 'Test protocol for the JIFF engine.',
  parameters: [{ name: 'serviceDate', type: 'date', description: 'unused' }],
  privacyUnit: { entity: 'rider', window: 'service-day', scope: 'jiff-test' },
  axes: [
    { name: 'a', source: { range: [0, 2] }, maxSize: 3 },
    { name: 'b', source: { range: [0, 1] }, maxSize: 2 },
  ],
  inputs: [
    {
      name: 'x',
      party: 'transit',
      connector: 'seeded-vector',
      axes: ['a', 'b'],
      unit: 'v',
      cell: { min: 0, max: 100 },
      contribution: { total: 1, perCell: 1, enforcement: 'declared' },
    },
    {
      name: 'y',
      party: 'payments',
      connector: 'seeded-vector',
      axes: ['a', 'b'],
      unit: 'v',
      cell: { min: 0, max: 100 },
    },
    {
      name: 'z',
      party: 'planning',
      connector: 'seeded-vector',
      axes: ['a'],
      unit: 'v',
      cell: { min: 0, max: 100 },
    },
  ],
  outputs: [
    {
      name: 'linear',
      title: '3(x − y) + z',
      expression: {
        add: [
          { scale: [{ sub: [{ input: 'x' }, { input: 'y' }] }, 3] },
          { broadcast: { of: { input: 'z' }, axes: ['a', 'b'] } },
        ],
      },
      unit: 'v',
      budgetShare: '1/4',
    },
    {
      name: 'summed',
      title: 'x summed over b',
      expression: { sumOver: { of: { input: 'x' }, axis: 'b' } },
      unit: 'v',
      budgetShare: '1/4',
    },
    {
      name: 'product',
      title: 'x × y',
      expression: { multiply: [{ input: 'x' }, { input: 'y' }] },
      unit: 'v',
      budgetShare: '1/4',
    },
    {
      name: 'inner',
      title: 'Σ_a x·z',
      expression: {
        innerProduct: {
          left: { input: 'x' },
          right: { broadcast: { of: { input: 'z' }, axes: ['a', 'b'] } },
          over: ['a'],
        },
      },
      unit: 'v',
      budgetShare: '1/4',
    },
  ],
  derived: [],
  privacy: { mechanism: 'discrete-gaussian', minBudget: '1/1000', maxBudget: '1' },
  field: 'auto',
};

function planFor(sessionId: string): SessionPlan {
  return compileSessionPlan(analyzeProtocol(parseProtocolDefinition(definition)), {
    sessionId,
    parameters: { serviceDate: '2026-03-10' },
    axisValues: {},
    budget: '1/100',
    parties: { transit: 1, payments: 2, planning: 3 },
  });
}

const inputs: ReadonlyMap<string, number[]>[] = [
  new Map([['x', [5, 0, 17, 100, 3, 9]]]),
  new Map([['y', [2, 7, 17, 0, 100, 1]]]),
  new Map([['z', [4, 0, 11]]]),
];
/** Noise per party and output (signed, as a pool hands it out). */
const noiseOf = (plan: SessionPlan, p: number): number[][] =>
  plan.outputs.map((o, k) =>
    Array.from({ length: o.length }, (_, i) => ((p * 7 + k * 3 + i) % 9) - 4),
  );

/** The error a run failed with (the test fails if it did not). */
async function refusal(run: Promise<unknown>): Promise<{ code: string; message: string }> {
  return run.then(
    () => {
      throw new Error('the JIFF session was not refused');
    },
    (e: unknown) => e as { code: string; message: string },
  );
}

function register(server: TestServer, sessionId: string): void {
  server.core.registerComputation({
    computationId: sessionId,
    partyCount: 3,
    expiresAt: Date.now() + 120_000,
    verifyCredential: (partyId, credential) =>
      verifyJiffCredential(identities[partyId - 1].publicKey, sessionId, partyId, credential),
  });
}

/** The go-ahead through the interface: resolves with what the engine reports to its output. */
function begin(
  engine: SessionEngine,
  inputs: ReadonlyMap<string, number[]>,
): Promise<SessionResult> {
  return new Promise((resolve, reject) =>
    engine.begin(inputs, {
      send: () => reject(new Error('a JIFF engine sent a native envelope')),
      hasRoom: () => true,
      finished: resolve,
      failed: reject,
    }),
  );
}

/** Three JIFF engines through acceptance and commitments, then their stock clients. */
async function runJiffSessions(
  server: TestServer,
  plan: SessionPlan,
  runner: JiffRunner,
): Promise<{ sessions: JiffSessionEngine[]; results: SessionResult[] }> {
  const sessions = PARTIES.map(
    (p) =>
      new JiffSessionEngine({
        self: p,
        plan,
        identity: identities[p - 1],
        pinnedKeys: pinned,
        rng: seededRandom(`jiff-session-${p}`),
        coordinatorUrl: `${server.url}/some/path`,
        runner,
      }),
  );
  const acceptances = sessions.map((s) => s.acceptance());
  for (const s of sessions) s.receiveAcceptances(acceptances);
  const commitments = sessions.map((s, i) => s.commitNoise(noiseOf(plan, i + 1)));
  for (const s of sessions)
    for (const c of commitments) if (c.party !== s.self) s.receiveCommitment(c);
  const results = await Promise.all(sessions.map((s, i) => begin(s, inputs[i])));
  for (const s of sessions) s.stop();
  return { sessions, results };
}

/** The native engine's result for the same plan, inputs and noise. */
function nativeDigest(plan: SessionPlan): string {
  const party = (i: number): InProcessParty => ({
    identity: identities[i],
    inputs: inputs[i],
    noise: noiseOf(plan, i + 1).map((v) => v.map(BigInt)),
    rng: seededRandom(`native-${i}`),
  });
  const native = runSessionInProcess(plan, [party(0), party(1), party(2)]);
  expect(native.errors.size).toBe(0);
  return native.results[0].digest;
}

describe('the JIFF engine (stock client, bignumber, 2^127 − 1)', { timeout: 60_000 }, () => {
  let server: TestServer;
  const relays: JiffRelay[] = [];
  beforeAll(async () => {
    server = await startServer(undefined, JIFF_SOCKET_PATH, (e) => {
      if (e.type === 'relayed') relays.push(e);
    });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Party 1's stock client alone, with no data: enough to be refused at initialization. */
  function loneParty(
    plan: SessionPlan,
    sessionId: string,
    credential: string,
    reconnectionDelayMs?: number,
  ): Promise<unknown> {
    const key = generateSessionKeyPair(seededRandom(`lone-${credential}`));
    return runJiffClientSession({
      url: server.url,
      socketPath: JIFF_SOCKET_PATH,
      sessionId,
      self: 1,
      prime: (2n ** 127n - 1n).toString(),
      credential,
      publicKey: key.publicKey,
      secretKey: key.secretKey,
      jiffKeys: { 1: key.publicKey },
      plan,
      inputs: new Map(),
      noise: [],
      dealt: [],
      peerCommitments: new Map(),
      ...(reconnectionDelayMs === undefined ? {} : { reconnectionDelayMs }),
    });
  }

  it('opens exactly what the native engine opens for the same plan, inputs and noise', async () => {
    const plan = planFor('6a0c5a0e-1d6f-4f7e-8d55-0a1b2c3d4e5f');
    register(server, plan.sessionId);
    const { sessions, results } = await runJiffSessions(server, plan, inThreadRunner);
    const digest = nativeDigest(plan);
    for (const r of results) expect(r.digest).toBe(digest);

    // Each direction: what the sender sent = what the server relayed = what the receiver got.
    const views = sessions.map((s) => s.sealView());
    for (const from of PARTIES) {
      for (const to of PARTIES) {
        if (from === to) continue;
        const direction = `${from}>${to}`;
        const relayed = relaySetDigest(
          relays
            .filter((r) => r.computationId === plan.sessionId && r.from === from && r.to === to)
            .map((r) => r.digest),
        );
        expect(relayed.messages).toBeGreaterThan(0);
        expect(views[from - 1].relay.get(direction)).toEqual(relayed);
        expect(views[to - 1].relay.get(direction)).toEqual(relayed);
      }
    }
  });

  it('runs the stock client in a worker thread (from the sources, the built worker)', async () => {
    const plan = planFor('5e9b4c0d-0c5e-4e6d-8c44-f90a1b2c3d4e');
    register(server, plan.sessionId);
    const { results } = await runJiffSessions(server, plan, workerRunner);
    const digest = nativeDigest(plan);
    for (const r of results) expect(r.digest).toBe(digest);
  });

  it('refuses to share when the server distributes a key other than the one a party signed', async () => {
    const plan = planFor('7b1d6b1f-2e70-4a8f-9e66-1b2c3d4e5f60');
    register(server, plan.sessionId);
    const keys = PARTIES.map((p) => generateSessionKeyPair(seededRandom(`key-${p}`)));
    // Party 1 holds a "signed" key for party 2 that is not the one party 2's client uses: the same
    // situation as a server substituting party 2's key.
    const signed = {
      1: keys[0].publicKey,
      2: generateSessionKeyPair(seededRandom('other')).publicKey,
      3: keys[2].publicKey,
    };
    const config = (p: number, jiffKeys: Record<number, Uint8Array>): JiffClientConfig => ({
      url: server.url,
      socketPath: JIFF_SOCKET_PATH,
      sessionId: plan.sessionId,
      self: p,
      prime: (2n ** 127n - 1n).toString(),
      credential: signJiffCredential(identities[p - 1], plan.sessionId, p),
      publicKey: keys[p - 1].publicKey,
      secretKey: keys[p - 1].secretKey,
      jiffKeys,
      plan,
      inputs: inputs[p - 1],
      noise: plan.outputs.map((o) => new Array<number>(o.length).fill(0)),
      dealt: [],
      peerCommitments: new Map(),
    });
    const honest = { 1: keys[0].publicKey, 2: keys[1].publicKey, 3: keys[2].publicKey };
    const victim = runJiffClientSession(config(1, signed));
    const others = [2, 3].map((p) => runJiffClientSession(config(p, honest)));
    await expect(victim).rejects.toMatchObject({ code: 'jiff-key-mismatch', suspects: [2] });
    server.binding.removeComputation(plan.sessionId);
    await Promise.allSettled(others);
  });

  it('stops before opening anything when a peer’s noise shares differ from its commitment', async () => {
    const plan = planFor('9d3f8d31-4092-4ca1-9088-3d4e5f607182');
    register(server, plan.sessionId);
    const prime = 2n ** 127n - 1n;
    const keys = PARTIES.map((p) => generateSessionKeyPair(seededRandom(`noise-key-${p}`)));
    const dealt = PARTIES.map((p) => dealNoise(noiseOf(plan, p), prime, seededRandom(`deal-${p}`)));
    const commitment = (from: number, to: number): string =>
      noiseCommitment(plan.sessionId, from, to, sharesFor(dealt[from - 1], to));
    // Party 2 committed to one dealing and shares another (same noise, other randomness).
    const dealtByParty = [
      dealt[0],
      dealNoise(noiseOf(plan, 2), prime, seededRandom('other-deal')),
      dealt[2],
    ];
    const runs = PARTIES.map((p) =>
      runJiffClientSession({
        url: server.url,
        socketPath: JIFF_SOCKET_PATH,
        sessionId: plan.sessionId,
        self: p,
        prime: prime.toString(),
        credential: signJiffCredential(identities[p - 1], plan.sessionId, p),
        publicKey: keys[p - 1].publicKey,
        secretKey: keys[p - 1].secretKey,
        jiffKeys: { 1: keys[0].publicKey, 2: keys[1].publicKey, 3: keys[2].publicKey },
        plan,
        inputs: inputs[p - 1],
        noise: noiseOf(plan, p),
        dealt: dealtByParty[p - 1],
        peerCommitments: new Map(PARTIES.filter((q) => q !== p).map((q) => [q, commitment(q, p)])),
      }),
    );
    const errors = runs.map((r) =>
      r.then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    for (const honest of [errors[0], errors[2]])
      expect(await honest).toMatchObject({ code: 'noise-commitment-mismatch', suspects: [2] });
    server.binding.removeComputation(plan.sessionId);
    expect(await errors[1]).toBeDefined();
  });

  it('refuses a credential not signed by the slot’s pinned key, and an unregistered computation', async () => {
    const plan = planFor('8c2e7c20-3f81-4b90-8f77-2c3d4e5f6071');
    register(server, plan.sessionId);
    const attempt = (sessionId: string, credential: string): Promise<unknown> =>
      loneParty(plan, sessionId, credential);
    const rogue: IdentitySigner = generateIdentitySigner(seededRandom('rogue'));
    for (const credential of [
      signJiffCredential(rogue, plan.sessionId, 1), // not party 1's key
      signJiffCredential(identities[1], plan.sessionId, 2), // party 2's, for slot 2
      signJiffCredential(identities[0], 'another-session', 1), // another computation
      'not-a-signature',
    ]) {
      const error = await refusal(attempt(plan.sessionId, credential));
      expect(error.code).toBe('jiff-refused');
      expect(error.message).toContain('invalid-credential');
    }
    const unregistered = await refusal(
      attempt('unregistered', signJiffCredential(identities[0], 'unregistered', 1)),
    );
    expect(unregistered.message).toContain('unknown-computation');
  });

  it('leaves nothing behind after a refusal: the stock client’s own retry would fail unhandled', async () => {
    // JIFF reads `maxInitializationRetries || 2`, so 0 means 2, and its retry calls `connect`
    // detached from the client: a TypeError in a promise, which kills a node that treats unhandled
    // rejections as fatal. Wait past the retry delay and watch for it.
    const plan = planFor('1f4a9b2c-5d6e-4f70-8a91-b2c3d4e5f607');
    register(server, plan.sessionId);
    const unhandled: unknown[] = [];
    const watch = (e: unknown): void => {
      unhandled.push(e);
    };
    process.on('unhandledRejection', watch);
    try {
      const error = await refusal(loneParty(plan, plan.sessionId, 'not-a-signature', 50));
      expect(error.code).toBe('jiff-refused');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', watch);
    }
  });
});
