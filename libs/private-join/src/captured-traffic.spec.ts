import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, toHex } from '#concord/crypto';
import { enrolmentHolderReceive, startEnrolmentHolder } from './enrolment-holder.js';
import { blind, GROUP_ORDER, hashToken, POINT_BYTES } from './group.js';
import type { JoinOutgoing, JoinRole } from './join-roles.js';
import { matcherReceive, startMatcher } from './matcher.js';
import { JOIN_HEADER_BYTES } from './messages.js';
import { startTapHolder, tapHolderReceive } from './tap-holder.js';

const token = (n: number): string => `card-token-${n.toString(16).padStart(12, '0')}`;

/** Every message of one join, with both secret exponents (which only this test can see). */
function capture(enrolled: string[], taps: string[], seed: string) {
  const rngE = seededRandom(`${seed}/planning`);
  const rngT = seededRandom(`${seed}/payments`);
  const e = startEnrolmentHolder(enrolled, rngE);
  const t = startTapHolder(taps, rngT);
  if (e.state.phase !== 'awaiting-taps' || t.state.phase !== 'awaiting-enrolled')
    throw new Error('holders did not start');
  const a = e.state.exponent;
  const b = t.state.exponent;
  const t2 = tapHolderReceive(t.state, e.outgoing[0].bytes, rngT);
  const e2 = enrolmentHolderReceive(e.state, t.outgoing[0].bytes);
  const traffic: JoinOutgoing[] = [...e.outgoing, ...t.outgoing, ...t2.outgoing, ...e2.outgoing];
  let matcher = startMatcher();
  for (const m of [...t2.outgoing, ...e2.outgoing])
    matcher = matcherReceive(matcher, m.bytes).state;
  return { traffic, a, b };
}

/** The 32-byte elements a message carries, hex-encoded. */
function elementsOf(m: JoinOutgoing): Set<string> {
  const out = new Set<string>();
  for (let at = JOIN_HEADER_BYTES; at < m.bytes.length; at += POINT_BYTES) {
    out.add(toHex(m.bytes.subarray(at, at + POINT_BYTES)));
  }
  return out;
}

const enc = (p: ReturnType<typeof hashToken>): string => toHex(p);

describe('captured traffic: no party receives what it must not see', () => {
  it('holds for every message of random joins', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 10 }),
        fc.array(fc.constantFrom('enrolled', 'taps', 'both'), {
          minLength: 10,
          maxLength: 10,
        }),
        fc.string(),
        (ids, where, seed) => {
          const tokens = ids.map(token);
          const enrolled = tokens.filter((_, i) => where[i] !== 'taps');
          const taps = tokens.filter((_, i) => where[i] !== 'enrolled');
          const { traffic, a, b } = capture(enrolled, taps, seed);
          const h = new Map(tokens.map((x) => [x, hashToken(x)]));
          const hashes = (xs: string[]) => xs.map((x) => h.get(x)!);
          const pow = (xs: string[], k: bigint) => hashes(xs).map((p) => enc(blind(p, k)));
          const all = tokens;

          // Forbidden to every recipient: tokens (as bytes anywhere) and H(t) for any token.
          const everyone = new Set(hashes(all).map(enc));
          const forbidden: Record<JoinRole, Set<string>> = {
            // The matcher sees only double-blinded elements: nothing single-blinded.
            matcher: new Set([...everyone, ...pow(all, a), ...pow(all, b)]),
            // The tap holder may see H(e)^a for enrolled e only (so H(t)^a for its enrolled
            // tokens, unrecognisable without a); never a non-enrolled token under a, nor
            // anything under ab (with b it could then test its tokens against the list).
            'tap-holder': new Set([
              ...everyone,
              ...pow(notIn(all, enrolled), a),
              ...pow(all, (a * b) % GROUP_ORDER),
            ]),
            // Symmetrically: H(t)^b for the processor's tokens only, nothing under ab.
            'enrolment-holder': new Set([
              ...everyone,
              ...pow(notIn(all, taps), b),
              ...pow(all, (a * b) % GROUP_ORDER),
            ]),
          };
          expect(traffic.map((m) => `${m.from}->${m.to}:${m.kind}`)).toEqual([
            'enrolment-holder->tap-holder:enrolled-once',
            'tap-holder->enrolment-holder:taps-once',
            'tap-holder->matcher:enrolled-twice',
            'enrolment-holder->matcher:taps-twice',
          ]);
          const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
          for (const m of traffic) {
            for (const x of all) expect(text(m.bytes).includes(x)).toBe(false);
            for (const el of elementsOf(m)) expect(forbidden[m.to].has(el)).toBe(false);
          }
          // And what each does receive is exactly what the flow says (so the sets above are
          // the real encodings, not vacuous ones).
          const got = traffic.map(elementsOf);
          expect(got[0]).toEqual(new Set(pow(enrolled, a)));
          expect(got[1]).toEqual(new Set(pow(taps, b)));
          expect(got[2]).toEqual(new Set(pow(enrolled, (a * b) % GROUP_ORDER)));
          expect(got[3]).toEqual(new Set(pow(taps, (a * b) % GROUP_ORDER)));
        },
      ),
      { numRuns: 15 },
    );
  });
});

const notIn = (xs: string[], ys: string[]): string[] => xs.filter((x) => !ys.includes(x));
