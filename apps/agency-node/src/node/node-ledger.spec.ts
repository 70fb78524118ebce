import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privacyCharge, type PrivacyCharge } from '#concord/accounting';
import { Rational } from '#concord/dp';
import { mayRefund, NodeLedger } from './node-ledger.js';

// An agency's own ledger replica: its veto (dp-design.md 6.4; T16) and its refund rule (T18).

const SCOPE = 'fares-and-ridership';
const rho = (text: string): Rational => Rational.parse(text);
const charge = (rhoText: string, xiText = '0'): PrivacyCharge =>
  privacyCharge(rho(rhoText), rho(xiText));

describe('NodeLedger', { timeout: 60_000 }, () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'node-ledger-'));
    file = join(dir, 'ledger.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts up to its cap exactly and declines past it (exact rationals)', () => {
    const ledger = new NodeLedger(file, rho('1'));
    for (let i = 0; i < 3; i++)
      expect(ledger.charge(`s${i}`, SCOPE, 'd1', charge('1/3'))).toBe(true);
    expect(ledger.spent(SCOPE, 'd1').toString()).toBe('1');
    expect(ledger.charge('s3', SCOPE, 'd1', charge('1/1000000'))).toBe(false);
    // Buckets are separate: another day still has its whole cap.
    expect(ledger.charge('s4', SCOPE, 'd2', charge('1'))).toBe(true);
    expect(ledger.charge('s5', SCOPE, 'd2', charge('0'))).toBe(false);
  });

  it('is idempotent for a repeated invitation, and declines the same session with other terms', () => {
    const ledger = new NodeLedger(file, rho('1'));
    expect(ledger.charge('s', SCOPE, 'd', charge('1/100'))).toBe(true);
    expect(ledger.charge('s', SCOPE, 'd', charge('1/100'))).toBe(true);
    expect(ledger.spent(SCOPE, 'd').toString()).toBe('1/100');
    // A coordinator re-inviting a charged session with a larger budget gets no free upgrade.
    expect(ledger.charge('s', SCOPE, 'd', charge('1/2'))).toBe(false);
    expect(ledger.charge('s', SCOPE, 'other-day', charge('1/100'))).toBe(false);
    expect(ledger.spent(SCOPE, 'd').toString()).toBe('1/100');
  });

  it('charges a refunded session again if it comes back (no free re-run)', () => {
    const ledger = new NodeLedger(file, rho('1'));
    expect(ledger.charge('s', SCOPE, 'd', charge('1/2'))).toBe(true);
    ledger.refund('s');
    ledger.refund('s');
    expect(ledger.spent(SCOPE, 'd').toString()).toBe('0');
    expect(ledger.charge('s', SCOPE, 'd', charge('1/2'))).toBe(true);
    expect(ledger.spent(SCOPE, 'd').toString()).toBe('1/2');
    ledger.refund('s');
    expect(ledger.spent(SCOPE, 'd').toString()).toBe('0');
  });

  it('survives a restart: the file is the ledger, rewritten atomically', () => {
    const before = new NodeLedger(file, rho('1'));
    expect(before.charge('s1', SCOPE, 'd', charge('3/4'))).toBe(true);
    const after = new NodeLedger(file, rho('1'));
    expect(after.spent(SCOPE, 'd').toString()).toBe('3/4');
    expect(after.charge('s2', SCOPE, 'd', charge('1/2'))).toBe(false);
    expect(after.charge('s1', SCOPE, 'd', charge('3/4'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['ledger.json']);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it('T16: at its cap it declines every overspending request, whatever the others agreed', () => {
    // The coordinator and one colluding party would run anything; the honest replica is at cap
    // after a random history of charges, and each of 100 trials asks for a random extra amount.
    for (let trial = 0; trial < 100; trial++) {
      const ledger = new NodeLedger(join(dir, `t${trial}.json`), rho('4'));
      let spent = Rational.ZERO;
      for (let i = 0; spent.lt(rho('4')); i++) {
        const step = Rational.min(Rational.of((trial % 7) + 1 + i, 100), rho('4').sub(spent));
        expect(ledger.charge(`history-${i}`, SCOPE, 'd', privacyCharge(step))).toBe(true);
        spent = spent.add(step);
      }
      const extra = Rational.of(trial + 1, 1000);
      expect(ledger.charge(`overspend-${trial}`, SCOPE, 'd', privacyCharge(extra))).toBe(false);
    }
  });

  it('records ξ with each charge, adds it up, refunds it, and binds it into a repeated invitation', () => {
    const ledger = new NodeLedger(file, rho('1'));
    expect(ledger.charge('a', SCOPE, 'd', charge('1/4', '1/1000'))).toBe(true);
    expect(ledger.charge('b', SCOPE, 'd', charge('1/4', '1/1000'))).toBe(true);
    expect(ledger.spentXi(SCOPE, 'd').toString()).toBe('1/500');
    // The same session re-invited with another ξ is another charge: declined.
    expect(ledger.charge('a', SCOPE, 'd', charge('1/4', '0'))).toBe(false);
    expect(ledger.charge('c', SCOPE, 'd', { rho: rho('1/4'), xi: rho('-1/1000') })).toBe(false);
    expect(ledger.refundIfNoiseKept('a', [])).toBe(true);
    expect(new NodeLedger(file, rho('1')).spentXi(SCOPE, 'd').toString()).toBe('1/1000');
  });

  describe('T18 refund rule on the node', () => {
    it('refunds only while the node has sent nothing (its noise never left it)', () => {
      expect(mayRefund([])).toBe(true);
      expect(mayRefund([{ round: 'input' }])).toBe(false);
      expect(mayRefund([{ round: 'input' }, { round: 'open' }])).toBe(false);

      const ledger = new NodeLedger(file, rho('1'));
      ledger.charge('declined-later', SCOPE, 'd', charge('1/4'));
      ledger.charge('dealt', SCOPE, 'd', charge('1/4'));
      ledger.charge('opened', SCOPE, 'd', charge('1/4'));
      expect(ledger.refundIfNoiseKept('declined-later', [])).toBe(true);
      expect(ledger.refundIfNoiseKept('declined-later', [])).toBe(false);
      expect(ledger.refundIfNoiseKept('dealt', [{ round: 'input' }])).toBe(false);
      expect(ledger.refundIfNoiseKept('opened', [{ round: 'input' }, { round: 'open' }])).toBe(
        false,
      );
      expect(ledger.spent(SCOPE, 'd').toString()).toBe('1/2');
    });
  });
});
