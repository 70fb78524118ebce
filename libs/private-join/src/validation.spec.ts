import { describe, expect, it } from 'vitest';
import { seededRandom } from '#concord/crypto';
import { fieldWithLimbs } from '#concord/field';
import { enrolmentHolderReceive, startEnrolmentHolder } from './enrolment-holder.js';
import { GROUP_ORDER, hashToken } from './group.js';
import { indicatorVector } from './indicator-shares.js';
import { matcherReceive, startMatcher } from './matcher.js';
import { encodeJoinMessage, maxJoinMessageBytes, parseJoinMessage } from './messages.js';
import type { PrivateJoinErrorCode } from './private-join-error.js';
import { startTapHolder, tapHolderReceive } from './tap-holder.js';

const rng = () => seededRandom('validation');
const points = ['a', 'b', 'c'].map(hashToken);

function refusal(run: () => unknown): { domain?: string; code?: PrivateJoinErrorCode } {
  try {
    run();
  } catch (e) {
    return e as { domain: string; code: PrivateJoinErrorCode };
  }
  throw new Error('expected a refusal');
}
const code = (run: () => unknown) => {
  const e = refusal(run);
  expect(e.domain).toBe('private-join');
  return e.code;
};

describe('private join: refused inputs and messages', () => {
  it('the group order is ristretto255’s ℓ', () => {
    expect(GROUP_ORDER).toBe(2n ** 252n + 27742317777372353535851937790883648493n);
  });

  it('refuses a duplicated or empty token in a holder’s own list', () => {
    expect(code(() => startEnrolmentHolder(['x1', 'x2', 'x1'], rng()))).toBe('duplicate-token');
    expect(code(() => startTapHolder(['t', 't'], rng()))).toBe('duplicate-token');
    expect(code(() => startTapHolder(['t', ''], rng()))).toBe('malformed-token');
  });

  it('refuses a list with a repeated element', () => {
    const bytes = encodeJoinMessage('taps-once', [points[0], points[1], points[0]]);
    expect(code(() => parseJoinMessage(bytes, 'taps-once'))).toBe('duplicate-point');
    const { state } = startEnrolmentHolder(['e'], rng());
    expect(code(() => enrolmentHolderReceive(state, bytes))).toBe('duplicate-point');
  });

  it('refuses the identity element', () => {
    const bytes = encodeJoinMessage('enrolled-once', [points[0], new Uint8Array(32)]);
    const { state } = startTapHolder(['t'], rng());
    expect(code(() => tapHolderReceive(state, bytes, rng()))).toBe('identity-point');
  });

  it('refuses non-canonical and off-group encodings', () => {
    const good = encodeJoinMessage('enrolled-twice', [points[0], points[1]]);
    // s ≥ p (all ones), a set sign bit, and a flipped low byte (almost surely off the group).
    const variants = [
      (b: Uint8Array) => b.fill(0xff, 6 + 32, 6 + 64),
      (b: Uint8Array) => (b[6 + 32 + 31] |= 0x80),
      (b: Uint8Array) => (b[6] |= 0x01),
    ];
    for (const mutate of variants) {
      const bad = good.slice();
      mutate(bad);
      expect(code(() => matcherReceive(startMatcher(), bad))).toBe('malformed-point');
    }
    expect(parseJoinMessage(good, 'enrolled-twice').elements).toHaveLength(2);
  });

  it('bounds a message by its list capacity, exactly', () => {
    expect(encodeJoinMessage('taps-once', points)).toHaveLength(maxJoinMessageBytes(3));
    expect(encodeJoinMessage('taps-once', points.slice(0, 2)).length).toBeLessThan(
      maxJoinMessageBytes(3),
    );
    expect(maxJoinMessageBytes(0)).toBe(encodeJoinMessage('taps-once', []).length);
  });

  it('refuses wrong lengths, versions and kinds', () => {
    const good = encodeJoinMessage('taps-twice', points);
    expect(code(() => parseJoinMessage(good.subarray(0, good.length - 1), 'taps-twice'))).toBe(
      'malformed-message',
    );
    const longer = new Uint8Array(good.length + 32);
    longer.set(good);
    expect(code(() => parseJoinMessage(longer, 'taps-twice'))).toBe('malformed-message');
    expect(code(() => parseJoinMessage(good.subarray(0, 5), 'taps-twice'))).toBe(
      'malformed-message',
    );
    const version = good.slice();
    version[0] = 2;
    expect(code(() => parseJoinMessage(version, 'taps-twice'))).toBe('malformed-message');
    const kind = good.slice();
    kind[1] = 9;
    expect(code(() => parseJoinMessage(kind, 'taps-twice'))).toBe('malformed-message');
    expect(code(() => parseJoinMessage(good, 'taps-once'))).toBe('unexpected-message');
  });

  it('refuses a message sent to the wrong role or delivered twice', () => {
    const once = encodeJoinMessage('taps-once', points);
    expect(code(() => matcherReceive(startMatcher(), once))).toBe('unexpected-message');
    const twice = encodeJoinMessage('taps-twice', points);
    const first = matcherReceive(startMatcher(), twice);
    expect(first.match).toBeUndefined();
    expect(code(() => matcherReceive(first.state, twice))).toBe('unexpected-message');
    const e = startEnrolmentHolder(['e'], rng());
    const done = enrolmentHolderReceive(e.state, once).state;
    expect(code(() => enrolmentHolderReceive(done, once))).toBe('unexpected-message');
    const t = startTapHolder(['t'], rng());
    const enrolledOnce = encodeJoinMessage('enrolled-once', points);
    const tDone = tapHolderReceive(t.state, enrolledOnce, rng()).state;
    expect(code(() => tapHolderReceive(tDone, enrolledOnce, rng()))).toBe('unexpected-message');
  });

  it('refuses indicators other than 0 and 1', () => {
    expect(code(() => indicatorVector(fieldWithLimbs(1), Uint8Array.of(0, 1, 2)))).toBe(
      'malformed-message',
    );
  });
});
