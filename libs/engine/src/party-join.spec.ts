import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateIdentitySigner, seededRandom } from '#concord/crypto';
import {
  analyzeProtocol,
  compileSessionPlan,
  parseProtocolDefinition,
  type SessionPlan,
} from '#concord/protocol';
import {
  batchLength,
  computeGroupBatch,
  type GroupBatch,
  type GroupWorkers,
} from '#concord/private-join';
import { PARTIES, type PartyIndex } from '#concord/sharing';
import { EngineError } from './engine-error.js';
import { type InProcessParty, runSessionInProcess } from './in-process-run.js';
import type { JoinMaterial } from './party-join.js';
import { PartyJoin } from './party-join.js';
import { paddingSession } from './padding-session.spec-support.js';
import { type PartySessionOptions, PartySession } from './party-session.js';
import type { PendingEnvelope } from './envelope-chunks.js';
import { NativeSessionEngine } from './native-engine.js';
import { outputValues, type SessionResult } from './session-result.js';
import type { EngineOutput } from './session-engine.js';

const parties = { transit: 1, payments: 2, planning: 3 } as const;
const identities = [1, 2, 3].map((i) => generateIdentitySigner(seededRandom(`join-id-${i}`)));
const PRODUCTS = ['a', 'b'];

/** The catalogue's reduced-fare protocol with an 8-card join axis, compiled for two products. */
function joinPlan(): SessionPlan {
  const json = JSON.parse(readFileSync('protocols/reduced-fare-use.json', 'utf8')) as {
    axes: { name: string; source: unknown; maxSize: number }[];
  };
  json.axes = json.axes.map((a) =>
    a.name === 'card' ? { ...a, source: { range: [1, 8] }, maxSize: 8 } : a,
  );
  return compileSessionPlan(analyzeProtocol(parseProtocolDefinition(json)), {
    sessionId: 'party-join-spec',
    parameters: { serviceDate: '2026-03-10' },
    axisValues: { fare_product: PRODUCTS },
    budget: '1/2',
    parties,
  });
}

const cards = ['c1', 'c2', 'c3', 'c4', 'c5'];
/** Trips and cents per card (rows in `cards` order, one cell per product). */
const trips = [1, 0, 2, 1, 0, 3, 1, 1, 4, 0];
const spend = [200, 0, 400, 150, 0, 300, 100, 100, 500, 0];
const enrolled = ['c2', 'c4', 'x9', 'c5'];

function material(role: JoinMaterial['role']): JoinMaterial {
  if (role === 'matcher') return { role };
  if (role === 'enrolment-holder') return { role, tokens: enrolled };
  return {
    role,
    tokens: cards,
    rows: new Map([
      ['card_trips', trips],
      ['card_spend', spend],
    ]),
  };
}

const ROLES: JoinMaterial['role'][] = ['matcher', 'tap-holder', 'enrolment-holder'];

function run(
  plan: SessionPlan,
  options: {
    join?: (i: number) => JoinMaterial;
    createSession?: (o: PartySessionOptions) => PartySession;
    chunkBytes?: number;
  } = {},
) {
  const zero = plan.outputs.map((o) => new Array<bigint>(o.length).fill(0n));
  const party = (i: number): InProcessParty => ({
    identity: identities[i],
    inputs: new Map(),
    noise: zero,
    rng: seededRandom(`join-party-${i}`),
    join: options.join ? options.join(i) : material(ROLES[i]),
  });
  return runSessionInProcess(plan, [party(0), party(1), party(2)], {
    ...(options.createSession ? { createSession: options.createSession } : {}),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
  });
}

/** Sums of the rows of enrolled cards and of all cards, per product (the plaintext answer). */
function plaintext(values: number[], only?: Set<string>): bigint[] {
  return PRODUCTS.map((_, p) =>
    cards.reduce(
      (s, c, i) => s + (only && !only.has(c) ? 0n : BigInt(values[i * PRODUCTS.length + p])),
      0n,
    ),
  );
}

describe('a join plan in process', () => {
  const plan = joinPlan();

  it('opens, without noise, exactly the enrolled and all-card sums at all three parties', () => {
    const result = run(plan);
    expect([...result.errors.values()]).toEqual([]);
    expect(result.results).toHaveLength(3);
    const opened = Object.fromEntries(
      result.results[0].outputs.map((o) => [o.name, outputValues(o)]),
    );
    const isEnrolled = new Set(enrolled);
    expect(opened.enrolled_trips).toEqual(plaintext(trips, isEnrolled));
    expect(opened.all_trips).toEqual(plaintext(trips));
    expect(opened.enrolled_spend).toEqual(plaintext(spend, isEnrolled));
    expect(opened.all_spend).toEqual(plaintext(spend));
    // Every party's envelope log holds the join rounds it took part in, and only those.
    const rounds = (p: PartySession): string[] =>
      [...new Set([...p.sent, ...p.received].map((r) => `${r.round}:${r.from}>${r.to}`))]
        .filter((r) => r.startsWith('join-'))
        .sort();
    expect(rounds(result.sessions[0])).toEqual(['join-2:2>1', 'join-2:3>1']);
    expect(rounds(result.sessions[1])).toEqual(['join-1:2>3', 'join-1:3>2', 'join-2:2>1']);
  });

  it('handles an empty enrolment list and disjoint lists (all zeros enrolled)', () => {
    for (const list of [[], ['z1', 'z2']]) {
      const result = run(plan, {
        join: (i) =>
          ROLES[i] === 'enrolment-holder'
            ? { role: 'enrolment-holder', tokens: list }
            : material(ROLES[i]),
      });
      expect([...result.errors.values()]).toEqual([]);
      const opened = Object.fromEntries(
        result.results[0].outputs.map((o) => [o.name, outputValues(o)]),
      );
      expect(opened.enrolled_trips).toEqual([0n, 0n]);
      expect(opened.all_trips).toEqual(plaintext(trips));
    }
  });

  it('refuses more cards than the join axis holds, and a duplicated own token, before sending', () => {
    const tooMany = Array.from({ length: 9 }, (_, i) => `k${i}`);
    const capacity = (): unknown =>
      run(plan, {
        join: (i) =>
          ROLES[i] === 'enrolment-holder'
            ? { role: 'enrolment-holder', tokens: tooMany }
            : material(ROLES[i]),
      });
    expect(capacity).toThrow(expect.objectContaining({ code: 'join-capacity-exceeded' }) as Error);
    const duplicate = (): unknown =>
      run(plan, {
        join: (i) =>
          ROLES[i] === 'enrolment-holder'
            ? { role: 'enrolment-holder', tokens: ['a', 'a'] }
            : material(ROLES[i]),
      });
    expect(duplicate).toThrow(expect.objectContaining({ code: 'join-rejected' }) as Error);
  });

  it('aborts naming the sender when a holder repeats an element of its blinded list', () => {
    /** Planning (party 3) sends its once-blinded list with its first element twice. */
    class RepeatingHolder extends PartySession {
      protected override seal(
        round: string,
        to: PartyIndex,
        payload: readonly Uint8Array[],
      ): PendingEnvelope[] {
        // A join round's payload is one piece.
        const [bytes] = payload;
        if (round === 'join-1' && bytes.length >= 6 + 64) bytes.copyWithin(6 + 32, 6, 6 + 32);
        return super.seal(round, to, payload);
      }
    }
    const result = run(plan, {
      createSession: (o) => (o.self === 3 ? new RepeatingHolder(o) : new PartySession(o)),
    });
    const error = result.errors.get(2);
    expect(error).toBeInstanceOf(EngineError);
    expect(error?.code).toBe('join-rejected');
    expect(error?.suspects).toEqual([3]);
    expect(result.results).toHaveLength(0);
  });

  it("refuses a holder whose list outgrows the join's capacity while it arrives, naming it", () => {
    // Planning (party 3) appends 4 KiB to its once-blinded list: 128 elements past capacity 8.
    const Padding = paddingSession('join-1', 4096);
    const result = run(plan, {
      chunkBytes: 64,
      createSession: (o) => (o.self === 3 ? new Padding(o) : new PartySession(o)),
    });
    const error = result.errors.get(2);
    expect(error?.code).toBe('envelope-rejected');
    expect(error?.message).toBe('party 3 sent more bytes than round join-1 can hold');
    expect(error?.suspects).toEqual([3]);
    expect(result.results).toHaveLength(0);
    // The tap holder kept only the 64-byte chunks within 6 + 8 × 32 bytes, not 67 of them.
    const taken = result.sessions[1].received.filter((r) => r.round === 'join-1');
    expect(taken).toHaveLength(Math.floor((6 + 8 * 32) / 64));
  });

  it('takes join payloads only from the role that sends them, once', () => {
    const matcher = new PartyJoin(plan, 1, seededRandom('m'));
    matcher.start({ role: 'matcher' });
    expect(() => matcher.receive('join-1', 3, new Uint8Array(6))).toThrow(
      expect.objectContaining({ code: 'unexpected-message', suspects: [3] }) as Error,
    );
    // taps-twice (kind 4) comes from the enrolment holder, never from the tap holder.
    expect(() => matcher.receive('join-2', 2, Uint8Array.of(1, 4, 0, 0, 0, 0))).toThrow(
      expect.objectContaining({ code: 'join-rejected', suspects: [2] }) as Error,
    );
    expect(() => matcher.receive('join-2', 2, Uint8Array.of(1, 3, 0, 0, 0, 0))).toThrow(
      expect.objectContaining({ code: 'unexpected-message', suspects: [2] }) as Error,
    );
  });
});

describe("the holders' padded lists", () => {
  it('send a power of two of elements (dummies after the real tokens), never the real count', () => {
    const plan = joinPlan();
    const sent = (role: 'tap-holder' | 'enrolment-holder', tokens: string[]) => {
      const self = role === 'tap-holder' ? parties.payments : parties.planning;
      const join = new PartyJoin(plan, self, seededRandom(`pad-${role}`));
      const m: JoinMaterial =
        role === 'tap-holder'
          ? {
              role,
              tokens,
              rows: new Map([
                ['card_trips', new Array<number>(tokens.length * 2).fill(1)],
                ['card_spend', new Array<number>(tokens.length * 2).fill(1)],
              ]),
            }
          : { role, tokens };
      const task = join.start(m);
      task.step(Infinity);
      const payload = task.result().sends[0].payload;
      return new DataView(payload.buffer, payload.byteOffset).getUint32(2);
    };
    expect(sent('tap-holder', cards)).toBe(8);
    expect(sent('tap-holder', ['c1', 'c2', 'c3', 'c4'])).toBe(4);
    expect(sent('enrolment-holder', ['e1', 'e2', 'e3'])).toBe(4);
    expect(sent('enrolment-holder', [])).toBe(1);
  });
});

describe('a join plan on engines whose group operations run on worker threads', () => {
  const plan = joinPlan();

  /** Three native engines relaying to each other asynchronously, each with `workers`. */
  async function runEngines(workers: GroupWorkers): Promise<SessionResult[]> {
    const pinnedKeys = new Map(PARTIES.map((p) => [p, identities[p - 1].publicKey] as const));
    const engines = PARTIES.map(
      (p) =>
        new NativeSessionEngine(
          { self: p, plan, identity: identities[p - 1], pinnedKeys, rng: seededRandom(`w-${p}`) },
          undefined,
          { later: (run) => setImmediate(run), operations: 1, workers, workerBatch: 2 },
        ),
    );
    const acceptances = engines.map((e) => e.acceptance());
    for (const e of engines) e.receiveAcceptances(acceptances);
    const zero = plan.outputs.map((o) => new Array<number>(o.length).fill(0));
    const commitments = engines.map((e) => e.commitNoise(zero));
    for (const e of engines)
      for (const c of commitments) if (c.party !== e.self) e.receiveCommitment(c);
    const outputs: EngineOutput[] = [];
    const finished = engines.map(
      (_, i) =>
        new Promise<SessionResult>((resolve, reject) => {
          outputs[i] = {
            send: (envelope) =>
              setImmediate(() =>
                engines[envelope.header.to - 1].receiveEnvelope(
                  envelope.bytes,
                  outputs[envelope.header.to - 1],
                ),
              ),
            hasRoom: () => true,
            finished: resolve,
            failed: reject,
          };
        }),
    );
    engines.forEach((e, i) => e.begin(new Map(), outputs[i], material(ROLES[i])));
    return Promise.all(finished);
  }

  const openedOf = (result: SessionResult) =>
    Object.fromEntries(result.outputs.map((o) => [o.name, outputValues(o)]));

  it('opens the same sums, every hash and blinding done in batches on the workers', async () => {
    const batches: GroupBatch[] = [];
    const workers: GroupWorkers = {
      parallelism: 2,
      compute: (batch) =>
        new Promise((resolve) => {
          batches.push(batch);
          setImmediate(() => resolve(computeGroupBatch(batch)));
        }),
    };
    const results = await runEngines(workers);
    const isEnrolled = new Set(enrolled);
    for (const result of results) {
      expect(openedOf(result).enrolled_trips).toEqual(plaintext(trips, isEnrolled));
      expect(openedOf(result).all_spend).toEqual(plaintext(spend));
    }
    // Each holder hashes and blinds its own list, then blinds the other's, both padded to a
    // power of two: 5 cards to 8, 4 enrolled tokens stay 4, so 2 × (8 + 4) operations.
    const operations = batches.reduce((n, b) => n + batchLength(b), 0);
    expect(operations).toBe(2 * (8 + 4));
    expect(Math.max(...batches.map(batchLength))).toBeLessThanOrEqual(2);
  });

  it('computes a batch itself when its worker thread fails, and still opens the sums', async () => {
    let calls = 0;
    const workers: GroupWorkers = {
      parallelism: 2,
      compute: (batch) =>
        ++calls % 2 === 0
          ? Promise.reject(new Error('worker exited'))
          : Promise.resolve(computeGroupBatch(batch)),
    };
    const results = await runEngines(workers);
    expect(calls).toBeGreaterThan(2);
    expect(openedOf(results[0]).enrolled_spend).toEqual(plaintext(spend, new Set(enrolled)));
  });

  it("fails the session with join-rejected when a worker refuses a peer's element", async () => {
    const workers: GroupWorkers = {
      parallelism: 1,
      compute: (batch) =>
        Promise.resolve(
          batch.op === 'blind'
            ? { code: 'malformed-point', message: `${batch.list} element ${batch.first} is bad` }
            : computeGroupBatch(batch),
        ),
    };
    const failure = await runEngines(workers).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe('join-rejected');
  });
});
