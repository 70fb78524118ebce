import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Rational } from '#concord/dp';
import { LedgerEntryEntity } from '#concord/persistence';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { CoordinatorError } from '../common/coordinator-error.js';

export interface Charge {
  readonly requestId: string;
  readonly sessionId: string;
  readonly scope: string;
  readonly window: string;
  readonly analyst: string;
  readonly rho: Rational;
}

/**
 * The coordinator's copy of the privacy ledger: zCDP ρ per (dataset scope, privacy-unit window)
 * bucket, in exact rationals. A charge is taken before any data moves (check-and-charge in one
 * transaction under a per-bucket advisory lock, so concurrent requests never overspend) and is
 * refunded only when the session aborts before any opening.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly config: CoordinatorConfig) {}

  get cap(): Rational {
    return Rational.parse(this.config.LEDGER_CAP_RHO);
  }

  /** Charges inside the caller's transaction; idempotent per request id. */
  async charge(m: EntityManager, c: Charge): Promise<void> {
    await lockBucket(m, c.scope, c.window);
    const existing = await m.findOneBy(LedgerEntryEntity, {
      requestId: c.requestId,
      kind: 'charge',
    });
    if (existing) return;
    const spent = await this.spentLocked(m, c.scope, c.window);
    if (spent.add(c.rho).gt(this.cap)) {
      throw new CoordinatorError(
        'budget-exhausted',
        `charging ρ = ${c.rho.toString()} would exceed the cap ${this.cap.toString()} of ${c.scope} for ${c.window} (spent ${spent.toString()})`,
      );
    }
    await m.insert(LedgerEntryEntity, {
      requestId: c.requestId,
      sessionId: c.sessionId,
      kind: 'charge',
      scope: c.scope,
      window: c.window,
      analyst: c.analyst,
      rho: c.rho.toString(),
    });
  }

  /** Refunds a request's charge once (callers guarantee nothing was opened). */
  async refund(m: EntityManager, requestId: string): Promise<boolean> {
    const charge = await m.findOneBy(LedgerEntryEntity, { requestId, kind: 'charge' });
    if (!charge) return false;
    await lockBucket(m, charge.scope, charge.window);
    if (await m.findOneBy(LedgerEntryEntity, { requestId, kind: 'refund' })) return false;
    await m.insert(LedgerEntryEntity, {
      ...charge,
      id: undefined,
      createdAt: undefined,
      kind: 'refund',
    });
    return true;
  }

  /** ρ spent in a bucket: charges minus refunds. */
  async spent(m: EntityManager, scope: string, window: string): Promise<Rational> {
    return this.spentLocked(m, scope, window);
  }

  private async spentLocked(m: EntityManager, scope: string, window: string): Promise<Rational> {
    const rows = await m.findBy(LedgerEntryEntity, { scope, window });
    return rows.reduce(
      (sum, r) =>
        r.kind === 'charge' ? sum.add(Rational.parse(r.rho)) : sum.sub(Rational.parse(r.rho)),
      Rational.ZERO,
    );
  }
}

/** Serialises every transaction touching one bucket (released at commit or rollback). */
async function lockBucket(m: EntityManager, scope: string, window: string): Promise<void> {
  await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ledger:${scope}:${window}`]);
}
