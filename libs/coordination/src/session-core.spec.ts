import { toBigInts } from '#concord/field';
import { describe, expect, it } from 'vitest';
import { releaseDigestOfOpened } from '#concord/engine';
import { type SessionResultsBody, verifyChain } from '#concord/transcript';
import { ToNode } from '#concord/wire';
import type { SessionAction } from './actions.js';
import { SESSION_ID, SimulatedWorld } from './simulated-world.spec-support.js';

/** The transcript kinds in order, envelopes collapsed to one `envelope×n`. */
function kinds(world: SimulatedWorld): string[] {
  const out: string[] = [];
  for (const e of world.store.entries) {
    const last = out.at(-1);
    if (e.kind === 'envelope' && last?.startsWith('envelope')) {
      const n = Number(last.split('×')[1] ?? 1);
      out[out.length - 1] = `envelope×${n + 1}`;
    } else out.push(e.kind);
  }
  return out;
}

/** Indexes of actions, to check that each effect follows the write it depends on. */
function firstIndex(log: readonly SessionAction[], test: (a: SessionAction) => boolean): number {
  return log.findIndex(test);
}

describe('a session through the core', () => {
  it('runs from creation to three seals, each step durable before its effect', () => {
    const world = new SimulatedWorld('happy');
    world.connectAll();
    world.run();

    expect(world.core.view.phase).toBe('completed');
    expect(world.store.rowState).toBe('completed');
    expect(world.store.seals.map((s) => s.party).sort()).toEqual([1, 2, 3]);
    expect(world.store.release?.map((o) => o.name)).toEqual(['boardings', 'revenue']);
    expect(world.store.refunds).toBe(0);
    expect(verifyChain(SESSION_ID, world.store.entries)).toBeUndefined();
    expect(kinds(world)).toEqual([
      'session.created',
      'party.accepted',
      'party.accepted',
      'party.accepted',
      'noise.committed',
      'noise.committed',
      'noise.committed',
      expect.stringMatching(/^envelope×\d+$/),
      'party.result',
      'party.result',
      'party.result',
      'session.results',
    ]);
    for (const node of world.nodes) expect(node.ended).toEqual({ outcome: 'completed' });

    // Write-ahead: the third commitment is written before the go-ahead leaves, every envelope's
    // record before its bytes are relayed, and the release before the seal requests.
    const log = world.log;
    const thirdCommit = firstIndex(
      log,
      (a) =>
        a.type === 'persist' &&
        a.ops.some(
          (o) => o.op === 'append' && o.entry.kind === 'noise.committed' && o.entry.seq === 6,
        ),
    );
    const goAhead = firstIndex(
      log,
      (a) => a.type === 'send' && a.event === ToNode.sessionCommitments,
    );
    expect(thirdCommit).toBeGreaterThanOrEqual(0);
    expect(goAhead).toBeGreaterThan(thirdCommit);
    const appended = new Set<string>();
    for (const a of log) {
      if (a.type === 'persist')
        for (const o of a.ops)
          if (o.op === 'append' && o.entry.kind === 'envelope') appended.add(o.entry.body.digest);
      if (a.type === 'relay') {
        const digest = world.store.entries.find(
          (e) => e.kind === 'envelope' && e.body.bytes === a.bytes.byteLength,
        );
        expect(digest).toBeDefined();
      }
    }
    expect(appended.size).toBe(world.store.entries.filter((e) => e.kind === 'envelope').length);
    const released = firstIndex(
      log,
      (a) => a.type === 'persist' && a.ops.some((o) => o.op === 'release'),
    );
    const sealRequest = firstIndex(
      log,
      (a) => a.type === 'send' && a.event === ToNode.sessionSealRequest,
    );
    expect(sealRequest).toBeGreaterThan(released);
    expect(log.filter((a) => a.type === 'finished')).toEqual([
      { type: 'finished', outcome: 'completed' },
    ]);
  });

  it('releases the same values when the reporter sends decimals, as nodes before binary results did, under the version 1 digest they seal', () => {
    const binary = new SimulatedWorld('happy');
    binary.connectAll();
    binary.run();
    const decimals = new SimulatedWorld('happy');
    decimals.nodes[0].reportDecimals = true;
    decimals.connectAll();
    decimals.run();
    expect(decimals.core.view.phase).toBe('completed');
    const values = (w: SimulatedWorld) => w.store.release!.map((o) => toBigInts(o.values));
    expect(values(decimals)).toEqual(values(binary));
    const v1 = decimals.store.entries.at(-1)!.body as SessionResultsBody;
    const v2 = binary.store.entries.at(-1)!.body as SessionResultsBody;
    expect(v2.releaseDigestVersion).toBe(2);
    expect('releaseDigestVersion' in v1).toBe(false);
    expect({ ...v1, releaseDigest: '' }).toEqual({
      ...v2,
      releaseDigest: '',
      releaseDigestVersion: undefined,
    });
    const opened = decimals.store.release!.map((o) => ({ name: o.name, vector: o.values }));
    expect(v1.releaseDigest).toBe(releaseDigestOfOpened(decimals.record.plan, opened, 1));
    expect(v2.releaseDigest).toBe(releaseDigestOfOpened(binary.record.plan, opened, 2));
  });

  it('moves the session row through created, inviting, running, sealing, completed by compare-and-set', () => {
    const world = new SimulatedWorld('rows');
    world.connectAll();
    world.run();
    const transitions = world.log.flatMap((a) =>
      a.type === 'persist'
        ? a.ops.flatMap((o) => (o.op === 'transition' ? [`${o.from}>${o.to}`] : []))
        : [],
    );
    expect(transitions).toEqual([
      'created>inviting',
      'inviting>running',
      'running>sealing',
      'sealing>completed',
    ]);
  });

  it('waits for all three nodes before inviting', () => {
    const world = new SimulatedWorld('waiting');
    world.connect(1);
    world.connect(2);
    world.run();
    expect(world.core.view.phase).toBe('waiting');
    expect(world.nodes.every((n) => n.received.length === 0)).toBe(true);
    world.connect(3);
    expect(world.core.view.phase).toBe('inviting');
  });
});
