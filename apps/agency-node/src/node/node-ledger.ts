import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Rational } from '#concord/dp';

interface LedgerLine {
  readonly sessionId: string;
  readonly scope: string;
  readonly window: string;
  readonly rho: string;
  readonly kind: 'charge' | 'refund';
  readonly at: string;
}

/**
 * This agency's own copy of the privacy ledger. A session that would take any (scope, window)
 * bucket past the agency's cap is declined: because a release needs all three noise sharings,
 * any one agency can veto (dp-design.md 6.4). Stored as an append-only JSON file, rewritten
 * atomically.
 */
export class NodeLedger {
  private lines: LedgerLine[];

  constructor(
    private readonly path: string,
    private readonly cap: Rational,
  ) {
    this.lines = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as LedgerLine[]) : [];
  }

  spent(scope: string, window: string): Rational {
    return this.lines
      .filter((l) => l.scope === scope && l.window === window)
      .reduce(
        (s, l) =>
          l.kind === 'charge' ? s.add(Rational.parse(l.rho)) : s.sub(Rational.parse(l.rho)),
        Rational.ZERO,
      );
  }

  /** Charges the session unless that would exceed the cap; false means: decline. */
  charge(sessionId: string, scope: string, window: string, rho: Rational): boolean {
    if (this.lines.some((l) => l.sessionId === sessionId && l.kind === 'charge')) return true;
    if (this.spent(scope, window).add(rho).gt(this.cap)) return false;
    this.append({
      sessionId,
      scope,
      window,
      rho: rho.toString(),
      kind: 'charge',
      at: new Date().toISOString(),
    });
    return true;
  }

  /** Refunds a charge once: only for sessions that ended before this node opened anything. */
  refund(sessionId: string): void {
    const charge = this.lines.find((l) => l.sessionId === sessionId && l.kind === 'charge');
    if (!charge || this.lines.some((l) => l.sessionId === sessionId && l.kind === 'refund')) return;
    this.append({ ...charge, kind: 'refund', at: new Date().toISOString() });
  }

  private append(line: LedgerLine): void {
    this.lines = [...this.lines, line];
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.lines, null, 1)}\n`);
    renameSync(tmp, this.path);
  }
}
