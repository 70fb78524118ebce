import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses } from '../common/docs/problem.doc.js';
import type { DataSource } from 'typeorm';
import { PRIVACY_DOC_LINK } from '#concord/accounting';
import { LedgerEntryEntity } from '#concord/persistence';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Roles } from '../auth/roles.decorator.js';
import { LedgerDoc } from './docs/ledger.doc.js';
import { ledgerBuckets } from './ledger-rows.js';
import { LEDGER_DELTA, type LedgerBalance, LedgerService } from './ledger.service.js';

/**
 * One privacy-ledger bucket as the API shows it: exact ρ as rational text (what caps bound), the
 * ξ spent, and ε of (ξ, ρ) rounded against the analyst.
 */
export interface LedgerBucketView {
  readonly scope: string;
  readonly window: string;
  readonly spent: string;
  readonly cap: string;
  readonly remaining: string;
  readonly xiSpent: string;
  readonly epsilonSpent: number;
  readonly epsilonCap: number;
  /**
   * The same ε as text, rounded as every surface shows it (`budgetDisplay` in
   * #concord/accounting, the function reports' `privacy.epsilonText` comes from): a bucket holding
   * one release shows that release's ε, digit for digit.
   */
  readonly epsilonSpentText: string;
  readonly epsilonCapText: string;
  /** Remaining ε, rounded DOWN (what is left is never overstated). */
  readonly epsilonRemainingText: string;
  /** For an analyst: their own spend and quota inside the bucket. */
  readonly analyst?: {
    readonly name: string;
    readonly spent: string;
    readonly quota: string;
    readonly remaining: string;
  };
  readonly detail: LedgerBalance;
}

@ApiTags('privacy')
@ApiBearerAuth()
@ApiProblemResponses()
@Roles('analyst', 'auditor')
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Every bucket with any charge; analysts also see their own share and quota. */
  @Get()
  @ApiOkResponse({ type: LedgerDoc })
  async buckets(
    @CurrentPrincipal() who: Principal,
  ): Promise<{ delta: number; docs: string; buckets: LedgerBucketView[] }> {
    const rows = await this.db
      .getRepository(LedgerEntryEntity)
      .createQueryBuilder('l')
      .select('l.scope', 'scope')
      .addSelect('l.window', 'window')
      .distinct(true)
      .orderBy('l.window', 'DESC')
      .addOrderBy('l.scope', 'ASC')
      .getRawMany<{ scope: string; window: string }>();
    const analyst = who.role === 'analyst' ? who.name : undefined;
    const buckets = await Promise.all(
      ledgerBuckets(rows).map(async ({ scope, window }): Promise<LedgerBucketView> => {
        const detail = await this.ledger.balance(scope, window, analyst);
        const whole = detail.bucket ?? detail;
        return {
          scope,
          window,
          spent: whole.spent.rho,
          cap: whole.cap.rho,
          remaining: whole.remaining.rho,
          xiSpent: whole.spent.xi,
          epsilonSpent: whole.spent.epsilon,
          epsilonCap: whole.cap.epsilon,
          epsilonSpentText: whole.spent.epsilonText,
          epsilonCapText: whole.cap.epsilonText,
          epsilonRemainingText: whole.remaining.epsilonText,
          ...(analyst
            ? {
                analyst: {
                  name: analyst,
                  spent: detail.spent.rho,
                  quota: detail.cap.rho,
                  remaining: detail.remaining.rho,
                },
              }
            : {}),
          detail,
        };
      }),
    );
    return { delta: LEDGER_DELTA, docs: PRIVACY_DOC_LINK, buckets };
  }
}
