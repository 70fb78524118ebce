import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { PrivacyCharge } from '#concord/accounting';
import { Rational } from '#concord/dp';

interface LedgerLine {
  readonly sessionId: string;
  readonly scope: string;
  readonly window: string;
  readonly rho: string;
  /** Absent in lines written before ξ was recorded: read as 0. */
  readonly xi?: string;
  readonly kind: 'charge' | 'refund';
  readonly at: string;
}

/**
 * Whether a session this node took part in may be refunded: only if the node never sent an
 * envelope. Its first envelope is the input round, which carries its noise sharings; from then
 * on the two peers hold shares of its noise and a release may happen without this node ever
 * opening (the honest peer's opening reaches the other peer), so an abort must not give the
 * budget back — "no opening by this node" is not enough (dp-design.md 6.4).
 */
export function mayRefund(sent: readonly { readonly round: string }[]): boolean {
  return sent.length === 0;
}

/**
 * This agency's own copy of the privacy ledger, in (ξ, ρ)-zCDP. A session that would take any
 * (scope, window) bucket's ρ past the agency's cap is declined: because a release needs all
 * three noise sharings, any one agency can veto (dp-design.md 6.4). ξ is recorded with each
 * charge, not capped. Exact rationals. Stored as an append-only JSON file, rewritten atomically.
 */
export class NodeLedger {
  private lines: LedgerLine[];

  constructor(
    private readonly path: string,
    private readonly cap: Rational,
  ) {
    this.lines = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as LedgerLine[]) : [];
  }

  /** ρ spent in a bucket (what the cap bounds), exact. */
  spent(scope: string, window: string): Rational {
    return this.net(scope, window, (l) => l.rho);
  }

  /** ξ spent in a bucket, exact. */
  spentXi(scope: string, window: string): Rational {
    return this.net(scope, window, (l) => l.xi ?? '0');
  }

  private net(scope: string, window: string, part: (l: LedgerLine) => string): Rational {
    return this.lines
      .filter((l) => l.scope === scope && l.window === window)
      .reduce((s, l) => {
        const amount = Rational.parse(part(l));
        return l.kind === 'charge' ? s.add(amount) : s.sub(amount);
      }, Rational.ZERO);
  }

  /**
   * Charges the session unless that would exceed the cap; false means: decline. Idempotent for
   * a repeated invitation of the same session with the same terms. The same session id with
   * other terms (another bucket or budget) is declined: a coordinator cannot re-invite a charged
   * session with a larger budget. A refunded session that comes back is charged again.
   */
  charge(sessionId: string, scope: string, window: string, charge: PrivacyCharge): boolean {
    const { rho, xi } = charge;
    const open = this.outstanding(sessionId);
    if (open) {
      return (
        open.scope === scope &&
        open.window === window &&
        Rational.parse(open.rho).equals(rho) &&
        Rational.parse(open.xi ?? '0').equals(xi)
      );
    }
    if (rho.sign() <= 0 || xi.sign() < 0) return false;
    if (this.spent(scope, window).add(rho).gt(this.cap)) return false;
    this.append({
      sessionId,
      scope,
      window,
      rho: rho.toString(),
      xi: xi.toString(),
      kind: 'charge',
      at: new Date().toISOString(),
    });
    return true;
  }

  /** Refunds the session's outstanding charge, if any. Callers check `mayRefund` first. */
  refund(sessionId: string): void {
    const open = this.outstanding(sessionId);
    if (open) this.append({ ...open, kind: 'refund', at: new Date().toISOString() });
  }

  /**
   * Settles an aborted session: refunds it only if this node never dealt its noise (see
   * `mayRefund`). Returns whether it refunded.
   */
  refundIfNoiseKept(sessionId: string, sent: readonly { readonly round: string }[]): boolean {
    if (!mayRefund(sent) || !this.outstanding(sessionId)) return false;
    this.refund(sessionId);
    return true;
  }

  /** The session's charge not yet refunded (charges and refunds pair up in order). */
  private outstanding(sessionId: string): LedgerLine | undefined {
    let open: LedgerLine | undefined;
    for (const l of this.lines) {
      if (l.sessionId !== sessionId) continue;
      open = l.kind === 'charge' ? l : undefined;
    }
    return open;
  }

  private append(line: LedgerLine): void {
    this.lines = [...this.lines, line];
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.lines, null, 1)}\n`);
    renameSync(tmp, this.path);
  }
}
