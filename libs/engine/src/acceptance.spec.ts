import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair, seededRandom } from '#concord/crypto';
import type { PartyIndex } from '#concord/sharing';
import { checkAcceptances, signAcceptance, verifyAcceptance } from './acceptance.js';

const rng = seededRandom('acceptance-spec');
const ids = [0, 1, 2].map(() => generateIdentityKeyPair(rng));
const base = { sessionId: 's', planHash: 'a'.repeat(64), sessionKey: 'b'.repeat(64) };
const pinnedKeys = new Map(ids.map((k, i) => [(i + 1) as PartyIndex, k.publicKey]));
const acceptances = (epochs: readonly (number | undefined)[]) =>
  ids.map((k, i) =>
    signAcceptance(k, {
      ...base,
      party: (i + 1) as PartyIndex,
      ...(epochs[i] === undefined ? {} : { keyEpoch: epochs[i] }),
    }),
  );
const expected = (keyEpochs?: ReadonlyMap<PartyIndex, number>) => ({
  sessionId: 's',
  planHash: base.planHash,
  pinnedKeys,
  ...(keyEpochs ? { keyEpochs } : {}),
  self: 1 as PartyIndex,
  own: { sessionKey: base.sessionKey },
});

describe('acceptances with key epochs', () => {
  it('sign the epoch: changing it breaks the signature', () => {
    const [a] = acceptances([2]);
    expect(verifyAcceptance(ids[0].publicKey, a)).toBe(true);
    expect(verifyAcceptance(ids[0].publicKey, { ...a, keyEpoch: 3 })).toBe(false);
    // An acceptance from before key epochs (no field) is epoch 0, and cannot be given one.
    const [legacy] = acceptances([undefined]);
    expect(verifyAcceptance(ids[0].publicKey, legacy)).toBe(true);
    expect(verifyAcceptance(ids[0].publicKey, { ...legacy, keyEpoch: 0 })).toBe(false);
  });

  it('are accepted only with the epoch in force in this node’s consortium file', () => {
    const epochs = new Map<PartyIndex, number>([
      [1, 0],
      [2, 1],
      [3, 0],
    ]);
    expect(checkAcceptances(acceptances([0, 1, 0]), expected(epochs)).size).toBe(3);
    expect(() => checkAcceptances(acceptances([0, 0, 0]), expected(epochs))).toThrow(
      /party 2 accepted with its key epoch 0, but epoch 1 is the one valid now/,
    );
    // Without epochs (consortium v1 everywhere) every acceptance is epoch 0.
    expect(checkAcceptances(acceptances([undefined, 0, undefined]), expected()).size).toBe(3);
    expect(() => checkAcceptances(acceptances([undefined, 1, undefined]), expected())).toThrow(
      /party 2 accepted with its key epoch 1/,
    );
  });
});
