import { describe, expect, it } from 'vitest';
import { type SessionAcceptance, signAcceptance } from '#concord/engine';
import { ToNode } from '#concord/wire';
import type { SessionAction } from './actions.js';
import type { RefusalCode } from './refusal.js';
import { DEFAULT_RULES } from './session-config.js';
import { type NodeMessage } from './simulated-node.spec-support.js';
import { SimulatedWorld } from './simulated-world.spec-support.js';

type Phase = 'inviting' | 'committing' | 'computing' | 'sealing';

/**
 * A world run until the session reaches `phase`, with every message of that moment still in
 * flight (the test decides what arrives next), and the messages nodes sent so far recorded.
 */
function worldAt(
  phase: Phase,
  seed: string = phase,
): { world: SimulatedWorld; sent: NodeMessage[] } {
  const world = new SimulatedWorld(`refusals/${seed}`);
  const sent: NodeMessage[] = [];
  world.connectAll();
  while (world.core.view.phase !== phase && world.network.length > 0) {
    const next = world.network[0];
    if (next.to === 'core') sent.push(next.message);
    world.deliver();
  }
  expect(world.core.view.phase).toBe(phase);
  return { world, sent };
}

function partyOf(message: NodeMessage): number {
  return 'party' in message ? message.party : 0;
}

function feed(world: SimulatedWorld, message: NodeMessage): SessionAction[] {
  return world.handle({ ...message, now: world.now });
}

function refusal(
  actions: readonly SessionAction[],
): { code: RefusalCode; party: number } | undefined {
  const r = actions.find((a) => a.type === 'refuse');
  return r?.type === 'refuse' ? { code: r.code, party: r.party } : undefined;
}

/** Asserts the message was refused with `code` and the session aborted (`relay-refused`). */
function expectViolation(
  world: SimulatedWorld,
  actions: readonly SessionAction[],
  code: RefusalCode,
  party: number,
): void {
  expect(refusal(actions)).toEqual({ code, party });
  expect(world.core.view.phase).toBe('aborted');
  const aborted = world.store.entries.find((e) => e.kind === 'session.aborted');
  expect(aborted?.body).toMatchObject({ code: 'relay-refused', by: party });
}

const accepted = (sent: NodeMessage[], party: number): SessionAcceptance => {
  const m = sent.find((x) => x.type === 'accept' && x.party === party);
  if (m?.type !== 'accept') throw new Error(`no acceptance from party ${party}`);
  return m.acceptance;
};

describe('the core refuses what breaks the protocol, and aborts', () => {
  it('out-of-turn: an acceptance before any invitation', () => {
    const world = new SimulatedWorld('refusals/early');
    world.connect(1);
    const acceptance = { party: 1 } as unknown as SessionAcceptance;
    const actions = feed(world, { type: 'accept', party: 1, acceptance });
    expectViolation(world, actions, 'out-of-turn', 1);
    expect(world.store.refunds).toBe(1);
  });

  it('wrong-party: party 2’s acceptance replayed over party 3’s connection', () => {
    const { world } = worldAt('inviting', 'wrong-party');
    const a2 = accepted(worldAt('committing', 'wrong-party').sent, 2);
    const actions = feed(world, { type: 'accept', party: 3, acceptance: a2 });
    expectViolation(world, actions, 'wrong-party', 3);
  });

  it('bad-signature: an acceptance for another plan', () => {
    const { world } = worldAt('inviting');
    const a1 = accepted(worldAt('committing', 'inviting').sent, 1);
    const actions = feed(world, {
      type: 'accept',
      party: 1,
      acceptance: { ...a1, planHash: 'f'.repeat(64) },
    });
    expectViolation(world, actions, 'bad-signature', 1);
  });

  it('key-not-valid: an acceptance naming a key epoch the coordinator does not pin', () => {
    const { world } = worldAt('inviting', 'unknown-epoch');
    const a1 = accepted(worldAt('committing', 'unknown-epoch').sent, 1);
    const epoch1 = signAcceptance(world.identities[0], {
      sessionId: a1.sessionId,
      party: a1.party,
      planHash: a1.planHash,
      sessionKey: a1.sessionKey,
      keyEpoch: 1,
    });
    const actions = feed(world, { type: 'accept', party: 1, acceptance: epoch1 });
    expectViolation(world, actions, 'key-not-valid', 1);
    const refused = actions.find((a) => a.type === 'refuse');
    expect(refused?.type === 'refuse' && refused.message).toMatch(/no key epoch 1/);
  });

  it('key-not-valid: an acceptance with a key superseded before it arrived', () => {
    const { world } = worldAt('inviting', 'superseded');
    const a1 = accepted(worldAt('committing', 'superseded').sent, 1);
    const entry = world.parties.get(1)!;
    (world.parties as Map<1 | 2 | 3, typeof entry>).set(1, {
      ...entry,
      keys: [
        { epoch: 0, publicKey: entry.identityKey, supersededAt: world.now - 1 },
        { epoch: 1, publicKey: new Uint8Array(32).fill(7), validFrom: world.now - 1 },
      ],
    });
    const actions = feed(world, { type: 'accept', party: 1, acceptance: a1 });
    expectViolation(world, actions, 'key-not-valid', 1);
    const refused = actions.find((a) => a.type === 'refuse');
    expect(refused?.type === 'refuse' && refused.message).toMatch(
      /key epoch 0 was superseded by epoch 1/,
    );
  });

  it('wrong-engine: a native session receiving a JIFF key', () => {
    const { world } = worldAt('inviting');
    const a1 = accepted(worldAt('committing', 'inviting').sent, 1);
    const actions = feed(world, {
      type: 'accept',
      party: 1,
      acceptance: { ...a1, jiffKey: 'a'.repeat(64) },
    });
    expectViolation(world, actions, 'wrong-engine', 1);
  });

  it('equivocation: a second, different acceptance', () => {
    const { world, sent } = worldAt('committing');
    const a1 = accepted(sent, 1);
    const actions = feed(world, {
      type: 'accept',
      party: 1,
      acceptance: { ...a1, signature: 'b'.repeat(128) },
    });
    expectViolation(world, actions, 'equivocation', 1);
  });

  it('a repeated identical acceptance is a no-op', () => {
    const { world, sent } = worldAt('committing');
    const actions = feed(world, { type: 'accept', party: 1, acceptance: accepted(sent, 1) });
    expect(actions).toEqual([]);
    expect(world.core.view.phase).toBe('committing');
  });

  it('bad-commitment: commitments not addressed to the two others', () => {
    const { world } = worldAt('committing');
    const actions = feed(world, {
      type: 'commit',
      party: 2,
      claimedParty: 2,
      commitments: { '1': 'a'.repeat(64), '2': 'b'.repeat(64) },
    });
    expectViolation(world, actions, 'bad-commitment', 2);
    expect(world.store.refunds).toBe(1);
  });

  it('wrong-party: a commitment claiming another party', () => {
    const { world } = worldAt('committing');
    const actions = feed(world, {
      type: 'commit',
      party: 2,
      claimedParty: 3,
      commitments: { '1': 'a'.repeat(64), '2': 'b'.repeat(64) },
    });
    expectViolation(world, actions, 'wrong-party', 2);
  });

  it('out-of-turn: an envelope before the go-ahead; a seal before the release; a result before the data phase', () => {
    for (const make of [
      (w: SimulatedWorld): NodeMessage => ({
        type: 'envelope',
        party: 1,
        route: { sessionId: w.record.id, round: 'input', from: 1, to: 2, chunk: 0, chunks: 1 },
        bytes: new Uint8Array(40),
        digest: 'c'.repeat(64),
      }),
      (): NodeMessage => ({
        type: 'seal',
        party: 1,
        claimedParty: 1,
        headHash: 'd'.repeat(64),
        signature: 'e'.repeat(128),
      }),
      (): NodeMessage => ({ type: 'result', party: 2, claimedParty: 2, digest: 'f'.repeat(64) }),
    ]) {
      const { world } = worldAt('committing');
      const message = make(world);
      expectViolation(world, feed(world, message), 'out-of-turn', partyOf(message));
      expect(world.store.refunds).toBe(1);
    }
  });

  it('in the data phase: bad-envelope, wrong-party, equivocation; no refund', () => {
    const cases: [
      RefusalCode,
      (w: SimulatedWorld, e: Extract<NodeMessage, { type: 'envelope' }>) => NodeMessage,
    ][] = [
      ['bad-envelope', (_, e) => ({ ...e, route: { ...e.route, round: 'mul-7' } })],
      ['wrong-party', (_, e) => ({ ...e, party: e.route.to })],
      ['equivocation', (_, e) => ({ ...e, digest: '0'.repeat(64) })],
    ];
    for (const [code, mutate] of cases) {
      const { world } = worldAt('computing', `envelope/${code}`);
      // Let the first envelope through, then send the mutated one.
      let first: Extract<NodeMessage, { type: 'envelope' }> | undefined;
      while (!first) {
        const next = world.network[0];
        if (next.to === 'core' && next.message.type === 'envelope') first = next.message;
        world.deliver();
      }
      const bad = mutate(world, first);
      expectViolation(world, feed(world, bad), code, partyOf(bad));
      expect(world.store.refunds).toBe(0);
    }
  });

  it('a resent envelope is relayed again without a second record', () => {
    const { world } = worldAt('computing', 'resend');
    let first: Extract<NodeMessage, { type: 'envelope' }> | undefined;
    while (!first) {
      const next = world.network[0];
      if (next.to === 'core' && next.message.type === 'envelope') first = next.message;
      world.deliver();
    }
    const before = world.store.entries.length;
    const actions = feed(world, first);
    expect(actions).toEqual([{ type: 'relay', party: first.route.to, bytes: first.bytes }]);
    expect(world.store.entries.length).toBe(before);
  });

  it('bad-values: the reporter’s values do not hash to its digest; a non-reporter sends values', () => {
    for (const [code, party] of [
      ['bad-values', 1],
      ['bad-values', 2],
    ] as const) {
      const { world } = worldAt('computing', `values/${party}`);
      const actions = feed(world, {
        type: 'result',
        party,
        claimedParty: party,
        digest: 'a'.repeat(64),
        outputs: world.record.plan.outputs.map((o) => ({
          name: o.name,
          values: Array.from({ length: o.length }, () => '0').join(','),
        })),
      });
      expectViolation(world, actions, code, party);
    }
  });

  it('bad-signature and equivocation of seals; a message after the end is refused without consequence', () => {
    const { world } = worldAt('sealing');
    const actions = feed(world, {
      type: 'seal',
      party: 2,
      claimedParty: 2,
      headHash: 'a'.repeat(64),
      signature: 'b'.repeat(128),
    });
    expectViolation(world, actions, 'bad-signature', 2);
    const late = feed(world, { type: 'result', party: 3, claimedParty: 3, digest: 'c'.repeat(64) });
    expect(refusal(late)).toEqual({ code: 'session-not-running', party: 3 });
    expect(late.some((a) => a.type === 'persist')).toBe(false);
  });

  it('a decline outside the invitation is out of turn', () => {
    const { world } = worldAt('computing', 'late-decline');
    const actions = feed(world, { type: 'decline', party: 3, code: 'busy', message: 'too late' });
    expectViolation(world, actions, 'out-of-turn', 3);
  });

  it('flood: more JIFF messages than the rules allow (retransmissions are not counted)', () => {
    const world = jiffWorld('refusals/flood', { ...DEFAULT_RULES, maxJiffRelays: 3 });
    const relay = (digest: string): SessionAction[] =>
      world.handle({ type: 'jiff-relay', now: world.now, from: 2, to: 1, digest });
    expect(world.core.view.phase).toBe('computing');
    expect(world.log.some((a) => a.type === 'register-jiff')).toBe(true);
    expect(world.store.entries.at(-1)?.kind).toBe('jiff.started');
    for (const d of ['a', 'b', 'c', 'a', 'b']) expect(refusal(relay(d))).toBeUndefined();
    expectViolation(world, relay('d'), 'flood', 2);
    expect(world.log.some((a) => a.type === 'remove-jiff')).toBe(true);
    expect(world.store.refunds).toBe(0);
  });

  it('a JIFF computation interrupted by a coordinator restart aborts at once, without refund', () => {
    const world = jiffWorld('refusals/jiff-restart');
    const actions = world.crashCoordinator();
    expect(world.core.view.phase).toBe('aborted');
    expect(actions.some((a) => a.type === 'finished')).toBe(true);
    expect(world.store.entries.at(-1)?.body).toMatchObject({
      code: 'jiff-interrupted',
      dataPhaseStarted: true,
    });
    expect(world.store.refunds).toBe(0);
    expect(world.network.some((d) => d.to === 'node' && d.event === ToNode.sessionAborted)).toBe(
      true,
    );
  });
});

/** A JIFF-mode session driven to its data phase by hand (the simulated nodes run natively). */
function jiffWorld(seed: string, rules = DEFAULT_RULES): SimulatedWorld {
  const world = new SimulatedWorld(seed, rules);
  for (const p of [1, 2, 3] as const) world.connect(p, 'jiff');
  expect(world.core.view.engine).toBe('jiff');
  expect(world.handle({ type: 'jiff-relay', now: world.now, from: 1, to: 2, digest: 'x' })).toEqual(
    [],
  );
  for (const p of [1, 2, 3] as const) {
    const acceptance = signAcceptance(world.identities[p - 1], {
      sessionId: world.record.id,
      party: p,
      planHash: world.record.planHash,
      sessionKey: String(p).repeat(64),
      jiffKey: String(p + 3).repeat(64),
    });
    world.handle({ type: 'accept', now: world.now, party: p, acceptance });
  }
  for (const p of [1, 2, 3] as const) {
    const commitments = Object.fromEntries(
      [1, 2, 3].filter((q) => q !== p).map((q) => [String(q), String(q).repeat(64)]),
    );
    world.handle({ type: 'commit', now: world.now, party: p, claimedParty: p, commitments });
  }
  return world;
}
