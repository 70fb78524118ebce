import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privacyCharge, type PrivacyCharge } from '#concord/accounting';
import { Rational } from '#concord/dp';
import { NodeLedgerError } from './node-ledger-error.js';
import {
  GENESIS,
  HEADER_LINE,
  lineText,
  linkLine,
  type UnlinkedLine,
} from './node-ledger-lines.js';
import { NodeLedger } from './node-ledger.js';

// An agency's own ledger replica: its veto (docs/privacy.md, 'The ledger'; T16), its refund rule
// (T18), and its file: durable, append-only, checked when loaded.

const SCOPE = 'fares-and-ridership';
const rho = (text: string): Rational => Rational.parse(text);
const charge = (rhoText: string, xiText = '0'): PrivacyCharge =>
  privacyCharge(rho(rhoText), rho(xiText));
const AT = '2026-03-10T08:00:00.000Z';

/** A file of the given lines, linked as the ledger links them (so only the rules can fail). */
function ledgerText(lines: readonly UnlinkedLine[]): string {
  let prev = GENESIS;
  const texts = lines.map((l) => {
    const linked = linkLine(l, prev);
    prev = linked.hash;
    return lineText(linked);
  });
  return [HEADER_LINE, ...texts, ''].join('\n');
}
const chargeLine = (sessionId: string): UnlinkedLine => ({
  kind: 'charge',
  sessionId,
  scope: SCOPE,
  window: 'd',
  rho: '1/4',
  xi: '0',
  at: AT,
});

function refusal(load: () => unknown): NodeLedgerError {
  try {
    load();
  } catch (e) {
    if (e instanceof NodeLedgerError) return e;
    throw e;
  }
  throw new Error('the ledger file was accepted');
}

describe('NodeLedger', { timeout: 60_000 }, () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'node-ledger-'));
    file = join(dir, 'ledger.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('charges (the veto)', () => {
    it('accepts up to its cap exactly and refuses past it (exact rationals)', () => {
      const ledger = new NodeLedger(file, rho('1'));
      for (let i = 0; i < 3; i++)
        expect(ledger.charge(`s${i}`, SCOPE, 'd1', charge('1/3'))).toEqual({
          ok: true,
          code: 'charged',
        });
      expect(ledger.spent(SCOPE, 'd1').toString()).toBe('1');
      expect(ledger.charge('s3', SCOPE, 'd1', charge('1/1000000'))).toMatchObject({
        ok: false,
        code: 'budget-exhausted',
        limit: 'cap',
      });
      // Buckets are separate: another day still has its whole cap.
      expect(ledger.charge('s4', SCOPE, 'd2', charge('1')).ok).toBe(true);
      expect(ledger.charge('s5', SCOPE, 'd2', charge('0'))).toEqual({
        ok: false,
        code: 'invalid-charge',
      });
      expect(ledger.unsettled()).toEqual(['s0', 's1', 's2', 's4']);
    });

    it('charges a week to each of its days, across a restart, and vetoes a day it filled', () => {
      const week = '2026-03-09..2026-03-15';
      const first = new NodeLedger(file, rho('1'));
      expect(first.charge('w', SCOPE, week, charge('3/4')).ok).toBe(true);
      // Loaded again from its file: the span still counts on every one of its days.
      const ledger = new NodeLedger(file, rho('1'));
      expect(ledger.spent(SCOPE, '2026-03-12').toString()).toBe('3/4');
      expect(ledger.spent(SCOPE, '2026-03-16').toString()).toBe('0');
      expect(ledger.charge('d', SCOPE, '2026-03-15', charge('1/2'))).toMatchObject({
        ok: false,
        code: 'budget-exhausted',
        limit: 'cap',
      });
      expect(ledger.charge('d2', SCOPE, '2026-03-16', charge('1/2')).ok).toBe(true);
      expect(ledger.charge('w2', SCOPE, '2026-03-16..2026-03-22', charge('1/2')).ok).toBe(true);
      // Day 16 is now full (1/2 + 1/2): a week through it is vetoed, the week before is not,
      // until its last day (the first week's 3/4 on 2026-03-09) is full too.
      expect(ledger.charge('w3', SCOPE, '2026-03-10..2026-03-16', charge('1/8')).ok).toBe(false);
      expect(ledger.charge('w4', SCOPE, '2026-03-03..2026-03-09', charge('1/4')).ok).toBe(true);
      expect(ledger.charge('w5', SCOPE, '2026-03-02..2026-03-08', charge('1/8')).ok).toBe(true);
      expect(ledger.charge('w6', SCOPE, '2026-03-03..2026-03-09', charge('1/8')).ok).toBe(false);
    });

    it('is idempotent for a repeated invitation before the data phase, and only then', () => {
      const ledger = new NodeLedger(file, rho('1'));
      expect(ledger.charge('s', SCOPE, 'd', charge('1/100')).code).toBe('charged');
      expect(ledger.charge('s', SCOPE, 'd', charge('1/100')).code).toBe('already-charged');
      // A coordinator re-inviting a charged session with a larger budget gets no free upgrade.
      expect(ledger.charge('s', SCOPE, 'd', charge('1/2'))).toMatchObject({
        code: 'idempotency-conflict',
        reason: 'other-terms',
      });
      expect(ledger.charge('s', SCOPE, 'other-day', charge('1/100'))).toMatchObject({
        reason: 'other-terms',
      });
      // Once the node may have dealt noise, the same session again would be a second release.
      ledger.markDataPhaseStarted('s');
      expect(ledger.charge('s', SCOPE, 'd', charge('1/100'))).toMatchObject({
        reason: 'data-phase-started',
      });
      ledger.settle('s', { kind: 'completed' });
      expect(ledger.charge('s', SCOPE, 'd', charge('1/100'))).toMatchObject({
        reason: 'settled',
      });
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('1/100');
    });

    it('refuses a refunded session that comes back, as the coordinator does (no free re-run)', () => {
      const ledger = new NodeLedger(file, rho('1'));
      ledger.charge('s', SCOPE, 'd', charge('1/2'));
      expect(ledger.settle('s', { kind: 'aborted', coordinatorRefunds: true }).code).toBe(
        'refunded',
      );
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('0');
      expect(ledger.charge('s', SCOPE, 'd', charge('1/2'))).toEqual({
        ok: false,
        code: 'idempotency-conflict',
        reason: 'refunded',
      });
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('0');
    });

    it('records ξ with each charge, adds it up and refunds it with the charge', () => {
      const ledger = new NodeLedger(file, rho('1'));
      expect(ledger.charge('a', SCOPE, 'd', charge('1/4', '1/1000')).ok).toBe(true);
      expect(ledger.charge('b', SCOPE, 'd', charge('1/4', '1/1000')).ok).toBe(true);
      expect(ledger.spentXi(SCOPE, 'd').toString()).toBe('1/500');
      // The same session re-invited with another ξ is another charge: refused.
      expect(ledger.charge('a', SCOPE, 'd', charge('1/4', '0')).ok).toBe(false);
      expect(ledger.charge('c', SCOPE, 'd', { rho: rho('1/4'), xi: rho('-1/1000') }).code).toBe(
        'invalid-charge',
      );
      expect(ledger.refundOwnAbort('a').code).toBe('refunded');
      expect(new NodeLedger(file, rho('1')).spentXi(SCOPE, 'd').toString()).toBe('1/1000');
    });

    it('T16: at its cap it refuses every overspending request, whatever the others agreed', () => {
      // The coordinator and one colluding party would run anything; the honest replica is at cap
      // after a random history of charges, and each of 100 trials asks for a random extra amount.
      for (let trial = 0; trial < 100; trial++) {
        // (Histories of one to four charges: every charge is an fsynced write.)
        const ledger = new NodeLedger(join(dir, `t${trial}.json`), rho('4'));
        let spent = Rational.ZERO;
        for (let i = 0; spent.lt(rho('4')); i++) {
          const step = Rational.min(Rational.of((trial % 7) + 1 + i, 4), rho('4').sub(spent));
          expect(ledger.charge(`history-${i}`, SCOPE, 'd', privacyCharge(step)).ok).toBe(true);
          spent = spent.add(step);
        }
        const extra = Rational.of(trial + 1, 1000);
        expect(ledger.charge(`overspend-${trial}`, SCOPE, 'd', privacyCharge(extra)).code).toBe(
          'budget-exhausted',
        );
      }
    });
  });

  describe('T18: settlement by the refund rule', () => {
    it('refunds a coordinator’s abort only if the coordinator refunds and no go-ahead came', () => {
      const ledger = new NodeLedger(file, rho('1'));
      for (const s of ['early', 'dealt', 'kept-by-coordinator', 'lied-to'])
        ledger.charge(s, SCOPE, 'd', charge('1/8'));
      expect(ledger.settle('early', { kind: 'aborted', coordinatorRefunds: true })).toEqual({
        refund: true,
        code: 'refunded',
      });
      ledger.markDataPhaseStarted('dealt');
      expect(ledger.settle('dealt', { kind: 'aborted', coordinatorRefunds: false }).code).toBe(
        'data-phase-started',
      );
      expect(
        ledger.settle('kept-by-coordinator', { kind: 'aborted', coordinatorRefunds: false }).code,
      ).toBe('coordinator-kept');
      // A coordinator claiming a refund after this node received the go-ahead is not believed.
      ledger.markDataPhaseStarted('lied-to');
      expect(ledger.settle('lied-to', { kind: 'aborted', coordinatorRefunds: true })).toEqual({
        refund: false,
        code: 'data-phase-started',
      });
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('3/8');
      expect(ledger.unsettled()).toEqual([]);
      // Settling again changes nothing.
      expect(ledger.settle('early', { kind: 'aborted', coordinatorRefunds: true }).code).toBe(
        'already-refunded',
      );
      expect(ledger.settle('dealt', { kind: 'completed' }).code).toBe('already-settled');
      expect(ledger.settle('never-seen', { kind: 'completed' }).code).toBe('not-charged');
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('3/8');
    });

    it('keeps a completed session, and refunds its own abort only before the go-ahead', () => {
      const ledger = new NodeLedger(file, rho('1'));
      for (const s of ['done', 'own-early', 'own-late'])
        ledger.charge(s, SCOPE, 'd', charge('1/8'));
      expect(ledger.settle('done', { kind: 'completed' })).toEqual({
        refund: false,
        code: 'completed',
      });
      expect(ledger.refundOwnAbort('own-early').code).toBe('refunded');
      ledger.markDataPhaseStarted('own-late');
      expect(ledger.refundOwnAbort('own-late').code).toBe('data-phase-started');
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('1/4');
    });

    it('keeps an unsettled charge pending (spent) across a restart until the outcome is known', () => {
      const before = new NodeLedger(file, rho('1'));
      before.charge('pending', SCOPE, 'd', charge('3/4'));
      before.markDataPhaseStarted('pending');
      before.charge('pending-early', SCOPE, 'd', charge('1/4'));
      const after = new NodeLedger(file, rho('1'));
      expect(after.unsettled()).toEqual(['pending', 'pending-early']);
      expect(after.spent(SCOPE, 'd').toString()).toBe('1');
      expect(after.charge('more', SCOPE, 'd', charge('1/100')).code).toBe('budget-exhausted');
      expect(after.session('pending')).toMatchObject({ status: 'charged', dataPhaseStarted: true });
      // The go-ahead was durable: the coordinator's refund claim is refused after the restart.
      expect(after.settle('pending', { kind: 'aborted', coordinatorRefunds: true }).code).toBe(
        'data-phase-started',
      );
      expect(
        after.settle('pending-early', { kind: 'aborted', coordinatorRefunds: true }).code,
      ).toBe('refunded');
      expect(after.unsettled()).toEqual([]);
      expect(after.spent(SCOPE, 'd').toString()).toBe('3/4');
    });

    it('refuses to start the data phase of a session it does not hold open', () => {
      const ledger = new NodeLedger(file, rho('1'));
      expect(refusal(() => ledger.markDataPhaseStarted('unknown')).code).toBe('not-charged');
      ledger.charge('s', SCOPE, 'd', charge('1/8'));
      ledger.markDataPhaseStarted('s');
      ledger.markDataPhaseStarted('s');
      expect(readFileSync(file, 'utf8').match(/data-phase-started/g)).toHaveLength(1);
      ledger.charge('r', SCOPE, 'd', charge('1/8'));
      ledger.refundOwnAbort('r');
      expect(refusal(() => ledger.markDataPhaseStarted('r')).code).toBe('session-closed');
    });
  });

  describe('the file', () => {
    it('is JSON lines behind a header, replaced durably, with nothing left beside it', () => {
      const ledger = new NodeLedger(file, rho('1'));
      expect(existsSync(file)).toBe(false);
      ledger.charge('s1', SCOPE, 'd', charge('3/4'));
      ledger.markDataPhaseStarted('s1');
      ledger.settle('s1', { kind: 'completed' });
      const lines = readFileSync(file, 'utf8').split('\n');
      expect(lines[0]).toBe(HEADER_LINE);
      expect(lines.slice(1, -1).map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual([
        'charge',
        'data-phase-started',
        'settled',
      ]);
      expect(lines.at(-1)).toBe('');
      expect(readdirSync(dir)).toEqual(['ledger.json']);
      const again = new NodeLedger(file, rho('1'));
      expect(again.spent(SCOPE, 'd').toString()).toBe('3/4');
      expect(again.session('s1')).toMatchObject({ status: 'kept', dataPhaseStarted: true });
    });

    it('records nothing, on disk or in memory, when a write fails', () => {
      const ledger = new NodeLedger(join(dir, 'missing-directory', 'ledger.json'), rho('1'));
      expect(refusal(() => ledger.charge('s', SCOPE, 'd', charge('1/2'))).code).toBe(
        'write-failed',
      );
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('0');
      expect(ledger.unsettled()).toEqual([]);
    });

    describe('is refused, never used or overwritten, when it is not what the node wrote', () => {
      let good: string;
      beforeEach(() => {
        const ledger = new NodeLedger(file, rho('1'));
        ledger.charge('a', SCOPE, 'd', charge('1/4'));
        ledger.markDataPhaseStarted('a');
        ledger.charge('b', SCOPE, 'd', charge('1/2', '1/1000'));
        good = readFileSync(file, 'utf8');
      });

      const refused = (text: string) => {
        writeFileSync(file, text);
        const e = refusal(() => new NodeLedger(file, rho('1')));
        expect(readFileSync(file, 'utf8')).toBe(text);
        return e;
      };

      it('truncated: a partial last line', () => {
        const e = refused(good.slice(0, good.length - 10));
        expect(e.code).toBe('truncated');
        expect(e.message).toMatch(/line 4: the file does not end with a complete line/);
        expect(refused('').message).toMatch(/line 1: the file is empty/);
      });

      it('tampered: an amount edited, a line removed, lines swapped', () => {
        const lines = good.split('\n');
        const edited = refused(good.replace('"rho":"1/2"', '"rho":"1/20"'));
        expect(edited.code).toBe('chain-broken');
        expect(edited.message).toMatch(/line 4: its hash does not match it/);
        const removed = refused([lines[0], lines[1], lines[3], ''].join('\n'));
        expect(removed.message).toMatch(/line 3: its prev is not the hash of the line before it/);
        expect(refused([lines[0], lines[2], lines[1], lines[3], ''].join('\n')).code).toBe(
          'chain-broken',
        );
      });

      it('unknown format: the array of the old format, another header, or no ledger at all', () => {
        const legacy = refused(JSON.stringify([{ sessionId: 'a', kind: 'charge' }]));
        expect(legacy.code).toBe('unknown-format');
        expect(legacy.message).toMatch(/line 1: a JSON array, the ledger format before version 1/);
        expect(
          refused(good.replace(HEADER_LINE, HEADER_LINE.replace('"version":1', '"version":2')))
            .code,
        ).toBe('unknown-format');
        expect(refused('hello\n').code).toBe('unknown-format');
      });

      it('malformed lines: not JSON, an unknown kind, a missing or extra field, a bad amount', () => {
        expect(refused(`${good}{not json\n`).message).toMatch(/line 5: not JSON/);
        const unknown = refused(ledgerText([{ ...chargeLine('a'), kind: 'bonus' } as never]));
        expect(unknown.code).toBe('malformed-line');
        expect(unknown.message).toMatch(/line 2: unknown kind "bonus"/);
        const extra = refused(ledgerText([{ ...chargeLine('a'), analyst: 'x' } as never]));
        expect(extra.message).toMatch(/line 2: a charge line has exactly the fields/);
        const noXi: Record<string, unknown> = { ...chargeLine('a') };
        delete noXi.xi;
        expect(refused(ledgerText([noXi as never])).code).toBe('malformed-line');
        expect(refused(ledgerText([{ ...chargeLine('a'), rho: '2/4' } as never])).message).toMatch(
          /rho must be a canonical rational > 0/,
        );
        expect(refused(ledgerText([{ ...chargeLine('a'), rho: '0' } as never])).code).toBe(
          'malformed-line',
        );
      });

      it('lines out of order: a refund after the data phase, a second charge, an orphan', () => {
        const started: UnlinkedLine = { kind: 'data-phase-started', sessionId: 'a', at: AT };
        const refund: UnlinkedLine = { kind: 'refund', sessionId: 'a', outcome: 'aborted', at: AT };
        const late = refused(ledgerText([chargeLine('a'), started, refund]));
        expect(late.code).toBe('invalid-sequence');
        expect(late.message).toMatch(
          /line 4: no refund after the data phase started \(session a\)/,
        );
        expect(refused(ledgerText([chargeLine('a'), refund, chargeLine('a')])).message).toMatch(
          /line 4: a session is charged once/,
        );
        expect(refused(ledgerText([started])).message).toMatch(
          /line 2: a data-phase-started line follows its session's charge/,
        );
        const keptEarly: UnlinkedLine = {
          kind: 'settled',
          sessionId: 'a',
          reason: 'data-phase-started',
          at: AT,
        };
        expect(refused(ledgerText([chargeLine('a'), keptEarly])).code).toBe('invalid-sequence');
        // The same lines in a valid order load.
        const valid = ledgerText([
          chargeLine('a'),
          refund,
          chargeLine('b'),
          { ...started, sessionId: 'b' },
        ]);
        writeFileSync(file, valid);
        expect(new NodeLedger(file, rho('1')).unsettled()).toEqual(['b']);
      });
    });
  });

  it('property: any sequence of calls stays within the cap, never refunds after the go-ahead, and reloads to the same ledger', () => {
    const call = fc.oneof(
      fc.record({
        op: fc.constant('charge' as const),
        s: fc.integer({ min: 0, max: 7 }),
        rho: fc.integer({ min: 1, max: 6 }),
      }),
      fc.record({ op: fc.constant('go-ahead' as const), s: fc.integer({ min: 0, max: 7 }) }),
      fc.record({
        op: fc.constant('settle' as const),
        s: fc.integer({ min: 0, max: 7 }),
        completed: fc.boolean(),
        coordinatorRefunds: fc.boolean(),
      }),
      fc.record({ op: fc.constant('own-abort' as const), s: fc.integer({ min: 0, max: 7 }) }),
    );
    let run = 0;
    fc.assert(
      fc.property(fc.array(call, { maxLength: 25 }), (calls) => {
        const path = join(dir, `p${run++}.jsonl`);
        const ledger = new NodeLedger(path, rho('1'));
        const wentAhead = new Set<string>();
        for (const c of calls) {
          const id = `s${c.s}`;
          if (c.op === 'charge')
            ledger.charge(id, SCOPE, 'd', privacyCharge(Rational.of(c.rho, 8)));
          else if (c.op === 'go-ahead') {
            if (ledger.session(id)?.status !== 'charged') continue;
            ledger.markDataPhaseStarted(id);
            wentAhead.add(id);
          } else {
            const decision =
              c.op === 'own-abort'
                ? ledger.refundOwnAbort(id)
                : ledger.settle(
                    id,
                    c.completed
                      ? { kind: 'completed' }
                      : { kind: 'aborted', coordinatorRefunds: c.coordinatorRefunds },
                  );
            if (decision.refund) expect(wentAhead.has(id)).toBe(false);
          }
          expect(ledger.spent(SCOPE, 'd').lte(rho('1'))).toBe(true);
        }
        const reloaded = new NodeLedger(path, rho('1'));
        expect(reloaded.spent(SCOPE, 'd').toString()).toBe(ledger.spent(SCOPE, 'd').toString());
        expect(reloaded.unsettled()).toEqual(ledger.unsettled());
      }),
      { numRuns: 150, seed: 0x90de },
    );
  });
});
