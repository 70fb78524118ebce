import fc from 'fast-check';
import { seededRandom } from '#concord/crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JiffAction, JiffResult } from './actions.js';
import { JiffServerCore } from './jiff-server-core.js';
import type { JiffLimits } from './limits.js';
import { relayDigest, relaySetDigest } from './relay-digest.js';

const KEYS = [1, 2, 3].map(
  (seed) => `[${Array.from({ length: 32 }, (_, i) => (seed + i) % 256).join(',')}]`,
);
const CREDENTIALS = ['cred-1', 'cred-2', 'cred-3'];

let clock = 1_000_000;
function makeCore(limits: Partial<JiffLimits> = {}, partyCount = 2): JiffServerCore {
  const core = new JiffServerCore({ random: seededRandom('jiff-core'), now: () => clock, limits });
  core.registerComputation({
    computationId: 'c',
    partyCount,
    expiresAt: clock + 60_000,
    verifyCredential: (partyId, credential) => CREDENTIALS[partyId - 1] === credential,
  });
  return core;
}

const send = (
  core: JiffServerCore,
  socketId: string,
  event: string,
  payload: unknown,
): JiffResult => core.handle({ kind: 'message', socketId, event, args: [JSON.stringify(payload)] });

const initialize = (
  core: JiffServerCore,
  socketId: string,
  partyId: number,
  extra: object = {},
): JiffResult =>
  send(core, socketId, 'initialization', {
    computation_id: 'c',
    party_id: partyId,
    party_count: 2,
    public_key: KEYS[partyId - 1],
    credential: CREDENTIALS[partyId - 1],
    ...extra,
  });

const parsed = (action: JiffAction): Record<string, unknown> =>
  action.kind === 'disconnect' ? {} : (JSON.parse(action.payload) as Record<string, unknown>);

function errorCode(result: JiffResult): unknown {
  expect(result.accepted).toBe(false);
  const error = result.actions.find((a) => a.kind === 'emit' && a.event === 'error');
  return error === undefined ? undefined : parsed(error).code;
}

const deliveries = (result: JiffResult, socketId: string) =>
  result.actions.filter((a) => a.kind === 'deliver' && a.socketId === socketId);

const ack = (core: JiffServerCore, actions: readonly JiffAction[]) => {
  for (const a of actions)
    if (a.kind === 'deliver') core.handle({ kind: 'delivered', socketId: a.socketId, ref: a.ref });
};

const pending = (core: JiffServerCore, partyId: number) =>
  core.describeComputation('c')!.parties[partyId - 1].pendingMessages;

/** Lagrange interpolation at 0 over the points (party id, share). */
function reconstruct(points: [number, bigint][], p: bigint): bigint {
  const pow = (b: bigint, e: bigint): bigint => {
    let r = 1n;
    for (let x = b % p, k = e; k > 0n; k >>= 1n, x = (x * x) % p) if (k & 1n) r = (r * x) % p;
    return r;
  };
  let secret = 0n;
  for (const [xi, yi] of points) {
    let num = 1n;
    let den = 1n;
    for (const [xj] of points) {
      if (xj === xi) continue;
      num = (num * BigInt(xj)) % p;
      den = (den * ((BigInt(xj - xi) % p) + p)) % p;
    }
    secret = (secret + yi * num * pow(den, p - 2n)) % p;
  }
  return secret;
}

describe('JiffServerCore', () => {
  beforeEach(() => {
    clock = 1_000_000;
  });

  describe('registration', () => {
    it('refuses malformed, duplicate and excess registrations', () => {
      const core = makeCore({ maxComputations: 2 });
      const base = {
        computationId: 'd',
        partyCount: 3,
        expiresAt: clock + 1,
        verifyCredential: () => true,
      };
      expect(() => core.registerComputation({ ...base, partyCount: 0 })).toThrow(
        expect.objectContaining({ code: 'invalid-registration' }),
      );
      expect(() => core.registerComputation({ ...base, computationId: '' })).toThrow(
        expect.objectContaining({ code: 'invalid-registration' }),
      );
      expect(() => core.registerComputation({ ...base, expiresAt: clock })).toThrow(
        expect.objectContaining({ code: 'invalid-registration' }),
      );
      expect(() => core.registerComputation({ ...base, computationId: 'c' })).toThrow(
        expect.objectContaining({ code: 'duplicate-computation' }),
      );
      core.registerComputation(base);
      expect(() => core.registerComputation({ ...base, computationId: 'e' })).toThrow(
        expect.objectContaining({ code: 'capacity' }),
      );
    });
  });

  describe('initialization', () => {
    it('answers with id, count and keys including s1, then tells earlier parties the new key', () => {
      const core = makeCore();
      const first = initialize(core, 'a', 1);
      expect(first.accepted).toBe(true);
      const answer = parsed(first.actions[0]);
      expect(first.actions[0]).toMatchObject({
        kind: 'emit',
        socketId: 'a',
        event: 'initialization',
      });
      expect(answer).toMatchObject({ party_id: 1, party_count: 2 });
      const keys = answer.public_keys as Record<string, string>;
      expect(Object.keys(keys)).toEqual(['1', 's1']);
      expect(JSON.parse(keys.s1)).toHaveLength(32);

      const second = initialize(core, 'b', 2, { party_id: '2' });
      expect(parsed(second.actions[0])).toMatchObject({ party_id: 2 });
      const update = deliveries(second, 'a');
      expect(update).toHaveLength(1);
      expect(update[0]).toMatchObject({ event: 'public_keys' });
      expect(Object.keys(parsed(update[0]).public_keys as object)).toEqual(['1', '2', 's1']);
    });

    it('keeps at most one pending key update per party', () => {
      const core = makeCore({}, 3);
      initialize(core, 'a', 1, { party_count: 3 });
      core.handle({ kind: 'disconnect', socketId: 'a' });
      initialize(core, 'b', 2, { party_count: 3 });
      initialize(core, 'c', 3, { party_count: 3 });
      expect(pending(core, 1)).toBe(1);
      const back = initialize(core, 'a2', 1, { party_count: 3 });
      const replayed = deliveries(back, 'a2');
      expect(replayed).toHaveLength(1);
      expect(Object.keys(parsed(replayed[0]).public_keys as object)).toEqual(['1', '2', '3', 's1']);
    });

    it('allows a party back only with the same credential and key, once its socket is gone', () => {
      let accepted = ['cred-2'];
      const core = new JiffServerCore({ random: seededRandom('x'), now: () => clock });
      core.registerComputation({
        computationId: 'c',
        partyCount: 2,
        expiresAt: clock + 60_000,
        verifyCredential: (id, credential) =>
          id === 1 ? credential === 'cred-1' : accepted.includes(credential),
      });
      initialize(core, 'a', 1);
      initialize(core, 'b', 2);
      expect(errorCode(initialize(core, 'b2', 2))).toBe('party-already-connected');
      core.handle({ kind: 'disconnect', socketId: 'b' });
      accepted = ['cred-2', 'rotated'];
      expect(errorCode(initialize(core, 'b2', 2, { credential: 'rotated' }))).toBe(
        'invalid-credential',
      );
      expect(errorCode(initialize(core, 'b2', 2, { public_key: KEYS[2] }))).toBe('key-mismatch');
      expect(initialize(core, 'b2', 2).accepted).toBe(true);
      expect(errorCode(initialize(core, 'b2', 1))).toBe('socket-already-initialized');
    });

    it('contains a verifier that throws', () => {
      const core = new JiffServerCore({ random: seededRandom('x'), now: () => clock });
      core.registerComputation({
        computationId: 'c',
        partyCount: 2,
        expiresAt: clock + 60_000,
        verifyCredential: () => {
          throw new Error('database down');
        },
      });
      expect(errorCode(initialize(core, 'a', 1))).toBe('invalid-credential');
    });
  });

  describe('relay and mailboxes', () => {
    it('rewrites the sender, keeps messages until acknowledged and replays them in order', () => {
      const core = makeCore();
      initialize(core, 'a', 1);
      initialize(core, 'b', 2);
      ack(core, initialize(core, 'a', 1).actions);
      const sent = send(core, 'a', 'share', {
        party_id: 2,
        share: { nonce: '[1]', cipher: '[2]' },
        op_id: 's:0',
      });
      expect(sent.accepted).toBe(true);
      expect(deliveries(sent, 'b').map(parsed)).toEqual([
        { party_id: 1, share: { nonce: '[1]', cipher: '[2]' }, op_id: 's:0' },
      ]);
      expect(pending(core, 2)).toBe(1);
      ack(core, sent.actions);
      expect(pending(core, 2)).toBe(0);

      core.handle({ kind: 'disconnect', socketId: 'b' });
      for (const op of ['s:1', 's:2']) {
        const offline = send(core, 'a', 'open', {
          party_id: 2,
          share: 'x',
          op_id: op,
          Zp: 16777729,
        });
        expect(offline.actions).toEqual([]);
      }
      const back = initialize(core, 'b2', 2);
      const replay = deliveries(back, 'b2');
      expect(replay.map((a) => (a.kind === 'deliver' ? a.event : ''))).toEqual(['open', 'open']);
      expect(replay.map((a) => parsed(a).op_id)).toEqual(['s:1', 's:2']);
    });

    it('reports each relayed message by digest, the same for a retransmission', () => {
      const core = makeCore();
      initialize(core, 'a', 1);
      initialize(core, 'b', 2);
      const box = { nonce: '[1,2]', cipher: '[3,4]' };
      const share = { party_id: 2, share: box, op_id: 's:0' };
      const first = send(core, 'a', 'share', share);
      expect(first.relay).toEqual({
        computationId: 'c',
        from: 1,
        to: 2,
        event: 'share',
        digest: relayDigest('share', 's:0', box),
      });
      // The receiver computes the same digest from what it got (party_id rewritten).
      const got = parsed(deliveries(first, 'b')[0]);
      expect(relayDigest('share', got.op_id as string, got.share)).toBe(first.relay?.digest);
      expect(send(core, 'a', 'share', share).relay?.digest).toBe(first.relay?.digest);
      const custom = send(core, 'b', 'custom', { party_id: 1, tag: 't', message: 'm' });
      expect(custom.relay).toMatchObject({ from: 2, to: 1, event: 'custom' });
      expect(custom.relay?.digest).toBe(relayDigest('custom', 't', 'm'));
      // Refused and non-relay events carry no relay record.
      expect(send(core, 'a', 'share', { ...share, party_id: 1 }).relay).toBeUndefined();
      expect(send(core, 'a', 'free', {}).relay).toBeUndefined();
    });

    it('digests a set of relays independently of order and repetition', () => {
      const a = relayDigest('open', 'o:1', 'x');
      const b = relayDigest('open', 'o:2', 'x');
      expect(relaySetDigest([a, b, a])).toEqual(relaySetDigest([b, a]));
      expect(relaySetDigest([a, b]).messages).toBe(2);
      expect(relaySetDigest([a]).digest).not.toBe(relaySetDigest([b]).digest);
      expect(relayDigest('share', 'o:1', 'x')).not.toBe(relayDigest('open', 'o:1', 'x'));
    });

    it('refuses rather than grows when a mailbox is full', () => {
      const core = makeCore({ maxMailboxMessages: 3 });
      initialize(core, 'a', 1);
      const msg = { party_id: 2, tag: 't', message: 'hello', encrypted: false };
      for (let i = 0; i < 3; i += 1) expect(send(core, 'a', 'custom', msg).accepted).toBe(true);
      expect(errorCode(send(core, 'a', 'custom', msg))).toBe('mailbox-full');
    });
  });

  describe('server-wide bounds', () => {
    it('bounds the total mailbox size and frees it with the computation', () => {
      const msg = { party_id: 2, tag: 't', message: 'x'.repeat(500), encrypted: false };
      const core = makeCore({ maxTotalMailboxBytes: 1500 });
      initialize(core, 'a', 1);
      expect(send(core, 'a', 'custom', msg).accepted).toBe(true);
      expect(send(core, 'a', 'custom', msg).accepted).toBe(true);
      expect(errorCode(send(core, 'a', 'custom', msg))).toBe('mailbox-full');
      core.sweep(clock + 60_000);
      core.registerComputation({
        computationId: 'c',
        partyCount: 2,
        expiresAt: clock + 120_000,
        verifyCredential: () => true,
      });
      initialize(core, 'a2', 1);
      expect(send(core, 'a2', 'custom', msg).accepted).toBe(true);
    });

    it('bounds dealer material waiting to be fetched, and releases it once fetched', () => {
      const core = makeCore({ maxDealerSharesPerComputation: 8 });
      initialize(core, 'a', 1);
      initialize(core, 'b', 2);
      const triplet = (op: string) => ({
        label: 'triplet',
        op_id: op,
        receivers: [1, 2],
        threshold: 2,
        Zp: 16777729,
        params: {},
      });
      expect(send(core, 'a', 'crypto_provider', triplet('t1')).accepted).toBe(true);
      expect(errorCode(send(core, 'a', 'crypto_provider', triplet('t2')))).toBe('limit-exceeded');
      expect(send(core, 'b', 'crypto_provider', triplet('t1')).accepted).toBe(true);
      expect(send(core, 'a', 'crypto_provider', triplet('t2')).accepted).toBe(true);
    });
  });

  describe('crypto provider', () => {
    const request = (fields: object) => ({
      label: 'triplet',
      op_id: 'smult:1,2:0:triplet',
      receivers: [1, 2],
      threshold: 2,
      Zp: 16777729,
      params: {},
      ...fields,
    });

    it('deals one consistent triple to every receiver in the request number type, then forgets it', () => {
      for (const [Zp, type] of [
        [16777729, 'number'],
        ['2305843009213693951', 'string'],
      ] as const) {
        const core = makeCore();
        initialize(core, 'a', 1);
        initialize(core, 'b', 2);
        const first = parsed(
          deliveries(send(core, 'a', 'crypto_provider', request({ Zp })), 'a')[0],
        );
        expect(core.describeComputation('c')!.dealerEntries).toBe(1);
        const again = parsed(
          deliveries(send(core, 'a', 'crypto_provider', request({ Zp })), 'a')[0],
        );
        expect(again.shares).toEqual(first.shares);
        const second = parsed(
          deliveries(send(core, 'b', 'crypto_provider', request({ Zp })), 'b')[0],
        );
        expect(first).toMatchObject({
          op_id: 'smult:1,2:0:triplet',
          receivers: [1, 2],
          threshold: 2,
          Zp,
        });
        const s1 = first.shares as (number | string)[];
        const s2 = second.shares as (number | string)[];
        expect(s1.every((s) => typeof s === type)).toBe(true);
        const p = BigInt(Zp);
        const [a, b, c] = [0, 1, 2].map((i) =>
          reconstruct(
            [
              [1, BigInt(s1[i])],
              [2, BigInt(s2[i])],
            ],
            p,
          ),
        );
        expect(c).toBe((a * b) % p);
        expect(core.describeComputation('c')!.dealerEntries).toBe(0);
        // A replay after everybody fetched is acknowledged but mints nothing new.
        expect(send(core, 'b', 'crypto_provider', request({ Zp }))).toEqual({
          actions: [],
          accepted: true,
        });
        expect(core.describeComputation('c')!.dealerEntries).toBe(0);
      }
    });

    it('shares a zero for open refreshes and random bits with a threshold below the party count', () => {
      const core = makeCore({}, 3);
      for (const id of [1, 2, 3]) initialize(core, `s${id}`, id, { party_count: 3 });
      const ask = (id: number) =>
        parsed(
          deliveries(
            send(
              core,
              `s${id}`,
              'crypto_provider',
              request({
                label: 'numbers',
                op_id: 'bits',
                receivers: [1, 2, 3],
                threshold: 2,
                params: { bitLength: 5, count: 1, max: 32 },
              }),
            ),
            `s${id}`,
          )[0],
        ).shares as number[];
      const [x1, x2, x3] = [ask(1), ask(2), ask(3)];
      expect(x1).toHaveLength(5);
      for (let bit = 0; bit < 5; bit += 1) {
        const v12 = reconstruct(
          [
            [1, BigInt(x1[bit])],
            [2, BigInt(x2[bit])],
          ],
          16777729n,
        );
        const v23 = reconstruct(
          [
            [2, BigInt(x2[bit])],
            [3, BigInt(x3[bit])],
          ],
          16777729n,
        );
        expect(v12).toBe(v23);
        expect(v12 <= 1n).toBe(true);
      }
    });

    it('refuses a requester that is not a receiver and a mismatching repeat', () => {
      const core = makeCore();
      initialize(core, 'a', 1);
      initialize(core, 'b', 2);
      expect(
        errorCode(send(core, 'a', 'crypto_provider', request({ receivers: [2], threshold: 1 }))),
      ).toBe('not-a-receiver');
      send(core, 'a', 'crypto_provider', request({}));
      expect(errorCode(send(core, 'b', 'crypto_provider', request({ threshold: 1 })))).toBe(
        'dealer-mismatch',
      );
      expect(errorCode(send(core, 'b', 'crypto_provider', request({ Zp: 15 })))).toBe('invalid-zp');
    });
  });

  describe('lifecycle', () => {
    it('drops all state once every party has freed', () => {
      const core = makeCore();
      initialize(core, 'a', 1);
      initialize(core, 'b', 2);
      expect(send(core, 'a', 'free', {}).accepted).toBe(true);
      expect(core.describeComputation('c')).toBeDefined();
      expect(send(core, 'b', 'free', {}).accepted).toBe(true);
      expect(core.describeComputation('c')).toBeUndefined();
      expect(errorCode(send(core, 'a', 'share', { party_id: 2, share: 'x', op_id: 'o' }))).toBe(
        'not-initialized',
      );
      expect(errorCode(initialize(core, 'z', 1))).toBe('unknown-computation');
    });

    it('sweeps expired and idle computations and disconnects their clients', () => {
      const core = makeCore({ idleTimeoutMs: 10_000 });
      initialize(core, 'a', 1);
      expect(core.sweep(clock + 9_999)).toEqual([]);
      const actions = core.sweep(clock + 10_000);
      expect(actions.map((a) => a.kind)).toEqual(['emit', 'disconnect']);
      expect(parsed(actions[0])).toMatchObject({ code: 'computation-expired' });
      expect(core.computationIds()).toEqual([]);

      const other = makeCore();
      expect(other.sweep(clock + 60_000).length).toBe(0);
      expect(other.computationIds()).toEqual([]);
    });

    it('disconnects a socket after too many errors', () => {
      const core = makeCore({ maxErrorsPerSocket: 2 });
      send(core, 'x', 'share', {});
      send(core, 'x', 'share', {});
      const third = send(core, 'x', 'share', {});
      expect(third.actions.at(-1)).toEqual({
        kind: 'disconnect',
        socketId: 'x',
        reason: 'too-many-errors',
      });
      core.handle({ kind: 'disconnect', socketId: 'x' });
      expect(send(core, 'x', 'share', {}).actions.some((a) => a.kind === 'disconnect')).toBe(false);
    });
  });

  it('never throws, whatever arrives', () => {
    const core = makeCore({ maxErrorsPerSocket: 1e9 });
    initialize(core, 'a', 1);
    const events = fc.constantFrom(
      'initialization',
      'share',
      'open',
      'custom',
      'crypto_provider',
      'free',
      'x',
      '__proto__',
    );
    const payload = fc.oneof(
      fc.anything(),
      fc.json(),
      fc
        .record({
          party_id: fc.anything(),
          op_id: fc.anything(),
          share: fc.anything(),
          Zp: fc.anything(),
        })
        .map((o) => JSON.stringify(o)),
      fc
        .record({
          label: fc.constantFrom('triplet', 'numbers', 'quotient'),
          op_id: fc.string(),
          receivers: fc.anything(),
          threshold: fc.anything(),
          Zp: fc.anything(),
          params: fc.anything(),
        })
        .map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('a', 'b'),
        events,
        fc.array(payload, { maxLength: 2 }),
        (socketId, event, args) => {
          const result = core.handle({ kind: 'message', socketId, event, args });
          for (const action of result.actions)
            if (action.kind === 'emit')
              expect(() => JSON.parse(action.payload) as unknown).not.toThrow();
        },
      ),
      { numRuns: 2000, seed: 42 },
    );
  });
});
