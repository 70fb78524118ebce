import { describe, expect, it } from 'vitest';
import { generateIdentitySigner, readEnvelopeHeader, seededRandom } from '#concord/crypto';
import {
  analyzeProtocol,
  compileSessionPlan,
  parseProtocolDefinition,
  readCatalogueDirectory,
  type SessionPlan,
} from '#concord/protocol';
import type { FieldVector } from '#concord/field';
import { EngineError } from './engine-error.js';
import { PartySession } from './party-session.js';
import { paddingSession } from './padding-session.spec-support.js';
import { outputValues } from './session-result.js';
import { type InProcessParty, runSessionInProcess } from './in-process-run.js';

const parties = { transit: 1, payments: 2, planning: 3 } as const;
const rng = seededRandom('engine-spec');
const identities = [1, 2, 3].map(() => generateIdentitySigner(rng));

function revenuePlan(routes: string[]): SessionPlan {
  const entry = readCatalogueDirectory('protocols').find('revenue-per-boarding')!;
  return compileSessionPlan(entry.analysis, {
    sessionId: 'engine-spec-session',
    parameters: { serviceDate: '2026-03-10' },
    axisValues: { route: routes },
    budget: '1/2',
    parties,
  });
}

function party(i: number, inputs: [string, number[]][], noise: bigint[][]): InProcessParty {
  return {
    identity: identities[i],
    inputs: new Map(inputs),
    noise,
    rng: seededRandom(`party-${i}`),
  };
}

/** The first abort of a run: thrown before any envelope moves, or reported by a party. */
function errorFrom(f: () => { errors: ReadonlyMap<number, EngineError> }): EngineError {
  try {
    const first = [...f().errors.values()][0];
    if (first) return first;
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError');
}

describe('a linear session (revenue per boarding)', () => {
  const plan = revenuePlan(['R1', 'R2']);
  const cells = 48;
  const boardings = Array.from({ length: cells }, (_, i) => (i * 37) % 500);
  const revenue = Array.from({ length: cells }, (_, i) => (i * 7919) % 100000);
  const zero = [new Array<bigint>(cells).fill(0n), new Array<bigint>(cells).fill(0n)];

  it('opens exactly the inputs when every noise share is zero, at all three parties', () => {
    const run = runSessionInProcess(plan, [
      party(0, [['boardings', boardings]], zero),
      party(1, [['revenue', revenue]], zero),
      party(2, [], zero),
    ]);
    expect(run.results).toHaveLength(3);
    for (const r of run.results) {
      expect(r.outputs.map((o) => o.name)).toEqual(['boardings', 'revenue']);
      expect(outputValues(r.outputs[0])).toEqual(boardings.map(BigInt));
      expect(outputValues(r.outputs[1])).toEqual(revenue.map(BigInt));
      expect(r.digest).toBe(run.results[0].digest);
    }
  });

  it('adds the three parties’ noise, and splits large payloads into chunks', () => {
    const noise = (k: number): bigint[][] =>
      [0, 1].map((o) => Array.from({ length: cells }, (_, i) => BigInt(((i + k + o) % 7) - 3)));
    const run = runSessionInProcess(
      plan,
      [
        party(0, [['boardings', boardings]], noise(0)),
        party(1, [['revenue', revenue]], noise(1)),
        party(2, [], noise(2)),
      ],
      { chunkBytes: 64 },
    );
    const expected = boardings.map(
      (b, i) => BigInt(b) + noise(0)[0][i] + noise(1)[0][i] + noise(2)[0][i],
    );
    expect(outputValues(run.results[0].outputs[0])).toEqual(expected);
    expect(run.sessions[0].sent.filter((r) => r.round === 'input').length).toBeGreaterThan(2);
  });

  it('reads chunks that arrive out of order or twice, as a resend after a reconnection would', () => {
    const noise = [0, 1].map((o) => Array.from({ length: cells }, (_, i) => BigInt((i + o) % 5)));
    const list = [
      party(0, [['boardings', boardings]], noise),
      party(1, [['revenue', revenue]], noise),
      party(2, [], noise),
    ] as const;
    const reference = runSessionInProcess(plan, [...list], { chunkBytes: 64 });
    const pinned = new Map(list.map((p, i) => [(i + 1) as 1 | 2 | 3, p.identity.publicKey]));
    const sessions = list.map(
      (p, i) =>
        new PartySession({
          self: (i + 1) as 1 | 2 | 3,
          plan,
          identity: p.identity,
          pinnedKeys: pinned,
          rng: seededRandom(`party-${i}`),
          chunkBytes: 64,
        }),
    );
    const acceptances = sessions.map((s) => s.acceptance());
    for (const s of sessions) s.receiveAcceptances(acceptances);
    const commitments = sessions.map((s, i) => s.commitNoise(list[i].noise));
    for (const s of sessions)
      for (const c of commitments) if (c.party !== s.self) s.receiveCommitment(c);
    let batch = sessions.flatMap((s, i) => s.shareInputs(list[i].inputs).map((e) => e()));
    let reordered = 0;
    while (batch.length > 0) {
      // Each batch is every envelope of a step, several chunks per round and receiver: deliver
      // them last first, and the first delivered (a round's last chunk) twice.
      const next = [];
      for (const [k, e] of [...batch].reverse().entries()) {
        if (e.header.chunk + 1 < e.header.chunks) reordered++;
        const to = sessions[e.header.to - 1];
        next.push(...to.receiveEnvelope(e.bytes).map((sealNow) => sealNow()));
        if (k === 0) expect(to.receiveEnvelope(e.bytes)).toEqual([]);
      }
      batch = next;
    }
    expect(reordered).toBeGreaterThan(20);
    expect(sessions.map((s) => s.result?.digest)).toEqual(reference.results.map((r) => r.digest));
  });

  it('refuses inputs outside the declared bounds before sharing anything', () => {
    const e = errorFrom(() =>
      runSessionInProcess(plan, [
        party(0, [['boardings', boardings.map(() => 60000)]], zero),
        party(1, [['revenue', revenue]], zero),
        party(2, [], zero),
      ]),
    );
    expect(e.code).toBe('input-out-of-bounds');
  });

  it('detects a relay that tampers with an envelope, naming the sender as suspect', () => {
    const e = errorFrom(() =>
      runSessionInProcess(
        plan,
        [
          party(0, [['boardings', boardings]], zero),
          party(1, [['revenue', revenue]], zero),
          party(2, [], zero),
        ],
        {
          relay: (env) => {
            if (env.header.round !== 'open' || env.header.from !== 2) return env.bytes;
            const bad = env.bytes.slice();
            bad[bad.length - 20] ^= 1;
            return bad;
          },
        },
      ),
    );
    expect(e.code).toBe('envelope-rejected');
    expect(e.suspects).toEqual([2]);
  });

  it('refuses a party whose chunks add up to more than its round can hold, naming it', () => {
    // Party 2 pads its input round with 4 KiB its peers never expect.
    const Padding = paddingSession('input', 4096);
    const run = runSessionInProcess(
      plan,
      [
        party(0, [['boardings', boardings]], zero),
        party(1, [['revenue', revenue]], zero),
        party(2, [], zero),
      ],
      {
        chunkBytes: 64,
        createSession: (o) => (o.self === 2 ? new Padding(o) : new PartySession(o)),
      },
    );
    for (const receiver of [1, 3] as const) {
      const e = run.errors.get(receiver);
      expect(e?.code).toBe('envelope-rejected');
      expect(e?.message).toBe('party 2 sent more bytes than round input can hold');
      expect(e?.suspects).toEqual([2]);
    }
    // Refused while the padding arrived, not once all of it was buffered: of its 64-byte chunks,
    // party 1 took only those within the round's largest size (and one more).
    const taken = run.sessions[0].received.filter((r) => r.round === 'input' && r.from === 2);
    expect(taken.length * 64).toBeLessThan(4096);
  });

  it('refuses an envelope re-addressed to another party or round', () => {
    const e = errorFrom(() =>
      runSessionInProcess(
        plan,
        [
          party(0, [['boardings', boardings]], zero),
          party(1, [['revenue', revenue]], zero),
          party(2, [], zero),
        ],
        {
          relay: (env) => {
            if (env.header.round !== 'input' || env.header.from !== 1 || env.header.to !== 2)
              return env.bytes;
            // Swap in the header of 1 -> 3 while keeping 1 -> 2's ciphertext.
            const text = Buffer.from(env.bytes).toString('latin1').replace('"to":2', '"to":3');
            return Uint8Array.from(Buffer.from(text, 'latin1'));
          },
        },
      ),
    );
    expect(e.code).toBe('envelope-rejected');
    expect(readEnvelopeHeader).toBeTypeOf('function');
  });

  it('refuses a session whose acceptances are not signed by the pinned identity keys', () => {
    const impostor = generateIdentitySigner(seededRandom('impostor'));
    const e = errorFrom(() =>
      runSessionInProcess(plan, [
        party(0, [['boardings', boardings]], zero),
        {
          ...party(1, [['revenue', revenue]], zero),
          identity: { ...impostor, publicKey: identities[1].publicKey },
        },
        party(2, [], zero),
      ]),
    );
    expect(e.code).toBe('peer-key-invalid');
    expect(e.suspects).toEqual([2]);
  });
});

describe('a session with products (stop indicators × taps, inner products)', () => {
  const definition = parseProtocolDefinition({
    id: 'equity-test',
    version: '1.0.0',
    title: 'Equity test',
    summary: 'Taps by stop and product times a private stop indicator.',
    parameters: [{ name: 'serviceDate', type: 'date', description: 'day' }],
    privacyUnit: { entity: 'rider', window: 'service-day', scope: 'test' },
    axes: [
      { name: 'stop', source: { public: 'stops' }, maxSize: 50 },
      { name: 'product', source: { public: 'products' }, maxSize: 5 },
    ],
    inputs: [
      {
        name: 'taps',
        party: 'payments',
        connector: 'taps',
        axes: ['stop', 'product'],
        unit: 'taps',
        cell: { min: 0, max: 1000 },
        contribution: { total: 8, perCell: 8, enforcement: 'connector' },
      },
      {
        name: 'low_income',
        party: 'planning',
        connector: 'ind',
        axes: ['stop'],
        unit: 'indicator',
        cell: { min: 0, max: 1 },
      },
    ],
    outputs: [
      {
        name: 'low',
        title: 'Low-income taps',
        expression: {
          innerProduct: {
            left: { input: 'taps' },
            right: { broadcast: { of: { input: 'low_income' }, axes: ['stop', 'product'] } },
            over: ['stop'],
          },
        },
        unit: 'taps',
        budgetShare: '1/3',
      },
      {
        name: 'elementwise',
        title: 'Elementwise',
        expression: {
          sumOver: {
            of: {
              multiply: [
                { input: 'taps' },
                { broadcast: { of: { input: 'low_income' }, axes: ['stop', 'product'] } },
              ],
            },
            axis: 'stop',
          },
        },
        unit: 'taps',
        budgetShare: '1/3',
      },
      {
        name: 'total',
        title: 'All taps',
        expression: { sumOver: { of: { input: 'taps' }, axis: 'stop' } },
        unit: 'taps',
        budgetShare: '1/3',
      },
    ],
    derived: [],
    privacy: { mechanism: 'discrete-gaussian', minBudget: '1/100', maxBudget: '1' },
    field: 'auto',
  });
  const stops = ['s1', 's2', 's3', 's4'];
  const products = ['adult', 'reduced'];
  const plan = compileSessionPlan(analyzeProtocol(definition), {
    sessionId: 'equity',
    parameters: { serviceDate: '2026-03-10' },
    axisValues: { stop: stops, product: products },
    budget: '1/2',
    parties,
  });
  const taps = [10, 1, 20, 2, 30, 3, 40, 4]; // stop-major: (s1 adult, s1 reduced, s2 adult, ...)
  const indicator = [1, 0, 1, 0];
  const zero = plan.outputs.map((o) => new Array<bigint>(o.length).fill(0n));

  it('computes products and inner products with one resharing round, exactly', () => {
    const run = runSessionInProcess(plan, [
      party(0, [], zero),
      party(1, [['taps', taps]], zero),
      party(2, [['low_income', indicator]], zero),
    ]);
    expect(run.results).toHaveLength(3);
    const [low, elementwise, total] = run.results[0].outputs.map(outputValues);
    expect(low).toEqual([40n, 4n]);
    expect(elementwise).toEqual([40n, 4n]);
    expect(total).toEqual([100n, 10n]);
    expect(run.sessions[0].sent.some((r) => r.round === 'mul-1')).toBe(true);
  });

  it('aborts with a typed error when a party opens an inconsistent share, suspecting it', () => {
    class CheatingSession extends PartySession {
      protected override openShares(): FieldVector[] {
        const shares = super.openShares();
        const first = shares[0];
        const data = first.data.slice();
        data[0] = (data[0] + 1) % first.field.primes[0];
        return [{ ...first, data }, ...shares.slice(1)];
      }
    }
    const run = runSessionInProcess(
      plan,
      [
        party(0, [], zero),
        party(1, [['taps', taps]], zero),
        party(2, [['low_income', indicator]], zero),
      ],
      { createSession: (o) => (o.self === 3 ? new CheatingSession(o) : new PartySession(o)) },
    );
    expect(run.results).toEqual([]);
    // Each honest party detects it but cannot exclude either other party; the cheater is the
    // one both honest parties suspect.
    const [one, two] = [run.errors.get(1)!, run.errors.get(2)!];
    expect([one.code, two.code]).toEqual(['inconsistent-opening', 'inconsistent-opening']);
    expect(one.suspects.filter((p) => two.suspects.includes(p))).toEqual([3]);
    const e = one;
    expect(e.code).toBe('inconsistent-opening');
    expect(e.suspects).toContain(3);
  });
});
