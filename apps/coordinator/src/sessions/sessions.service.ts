import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { Rational } from '#concord/dp';
import {
  ProtocolVersionEntity,
  ResultEntity,
  SessionEntity,
  SessionSealEntity,
} from '#concord/persistence';
import { windowDays, windowFor } from '#concord/accounting';
import {
  compileSessionPlan,
  PRIVACY_WINDOWS,
  planHash,
  type ProtocolDefinition,
} from '#concord/protocol';
import { dayNumber } from '#concord/calendar';
import { AgenciesService } from '../agencies/agencies.service.js';
import { CatalogueService } from '../catalogue/catalogue.service.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { NodePresence } from '../gateway/node-presence.js';
import { type ChargeOutcome, LedgerService } from '../ledger/ledger.service.js';
import { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { TranscriptService } from '../transcript/transcript.service.js';
import type { CreateReportDto } from './dto/create-report.dto.js';
import type { ReleasedOutput, Session, StoredOutput } from './session.js';
import { inputHolders, inputsLackingDate } from './data-coverage.js';
import { requestFingerprint } from './request-fingerprint.js';
import { SessionLeases } from './session-leases.js';
import { outputFromEntity, sessionFromEntity, storedOutputFromEntity } from './session.mapper.js';

export interface SessionSeal {
  readonly party: number;
  readonly agencyId: string;
  readonly headHash: string;
  readonly signature: string;
}

/** Sessions in the database: creation (plan, charge, first transcript entry), state, results. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly catalogue: CatalogueService,
    private readonly agencies: AgenciesService,
    private readonly ledger: LedgerService,
    private readonly transcript: TranscriptService,
    private readonly leases: SessionLeases,
    private readonly metrics: CoordinatorMetrics,
    private readonly presence: NodePresence,
  ) {}

  /**
   * Validates a report request, compiles its plan and, in one transaction, creates the session,
   * charges the privacy ledger and opens the transcript. Idempotent per analyst and request id:
   * the same request again returns its session (whatever became of it); the same id with another
   * request (protocol, version, parameters or budget) is `idempotency-conflict`, never the other
   * request's report. The new session waits in the queue (`created`, not yet admitted) until
   * `SessionLeases` admits it; a full queue refuses the request before anything is charged.
   */
  async create(
    dto: CreateReportDto,
    requestedBy: string,
  ): Promise<{ session: Session; created: boolean }> {
    const requestId = dto.requestId ?? randomUUID();
    const entry = this.catalogue.find(dto.protocol, dto.version);
    const axisValues = this.catalogue.axisValues(entry, dto.axes);
    // The axes that a selection narrowed (one of every value is no selection: the same grid).
    const all = this.catalogue.axisValues(entry);
    const narrowed = Object.keys(dto.axes ?? {}).filter(
      (a) => axisValues[a].length < all[a].length,
    );
    const fingerprint = requestFingerprint({
      protocolHash: entry.hash,
      parameters: dto.parameters,
      budget: dto.budget,
      ...(narrowed.length === 0
        ? {}
        : { axes: Object.fromEntries(narrowed.map((a) => [a, axisValues[a]])) }),
    });
    const existing = await this.findRequest(requestedBy, requestId);
    if (existing) return { session: await this.sameRequest(existing, fingerprint), created: false };
    this.assertDataForDate(entry.analysis.definition, dto.parameters);
    await this.leases.assertQueueOpen();

    const parties = this.agencies.partyMap();
    if (!parties)
      throw new CoordinatorError(
        'agencies-not-registered',
        'the consortium does not register all three roles',
      );
    const sessionId = randomUUID();
    const plan = compileSessionPlan(entry.analysis, {
      sessionId,
      parameters: dto.parameters,
      axisValues,
      budget: dto.budget,
      parties,
    });
    const hash = planHash(plan);
    const now = new Date();
    let charged: ChargeOutcome;
    try {
      charged = await this.db.transaction(async (m) => {
        await m.insert(SessionEntity, {
          id: sessionId,
          protocolVersionId: this.catalogue.versionId(entry.hash),
          state: 'created',
          parameters: plan.parameters,
          plan: plan as unknown as QueryDeepPartialEntity<SessionEntity>['plan'],
          planHash: hash,
          budgetRho: plan.budget.rho,
          requestId,
          requestedBy,
          requestFingerprint: fingerprint,
        });
        const outcome = await this.ledger.charge(m, {
          requestId,
          sessionId,
          scope: plan.privacyUnit.scope,
          window: plan.privacyUnit.window,
          analyst: requestedBy,
          rho: Rational.parse(plan.budget.rho),
          xi: Rational.parse(plan.budget.xi),
        });
        await this.transcript.start(
          m,
          sessionId,
          {
            protocol: plan.protocol,
            planHash: hash,
            parameters: plan.parameters,
            budget: plan.budget,
            requestId,
            requestedBy,
            ledger: {
              scope: plan.privacyUnit.scope,
              window: plan.privacyUnit.window,
              rho: plan.budget.rho,
              xi: plan.budget.xi,
            },
          },
          now,
        );
        return outcome;
      });
    } catch (e) {
      // A concurrent request with the same key won the race: its session, if it is this request.
      const raced = await this.findRequest(requestedBy, requestId);
      if (raced) return { session: await this.sameRequest(raced, fingerprint), created: false };
      throw e;
    }
    // Counted once committed: a charge rolled back with its session was never taken.
    this.metrics.ledgerCharged(charged);
    return { session: await this.get(sessionId), created: true };
  }

  /**
   * Refuses, before anything is charged, a request for a service date (for a protocol of several
   * days, any of its days) that an agency's node announced it has no data for, naming every such
   * agency, input and date. Nodes that did not announce (or cannot tell) are not held against the
   * request: they decline at the read if need be.
   */
  private assertDataForDate(
    definition: Parameters<typeof inputHolders>[0] & Pick<ProtocolDefinition, 'privacyUnit'>,
    parameters: Readonly<Record<string, unknown>>,
  ): void {
    const date = parameters.serviceDate;
    // Not a date at all: the plan's own parameter check refuses it (invalid-parameters).
    if (typeof date !== 'string' || dayNumber(date) === undefined) return;
    const dates = windowDays(windowFor(date, PRIVACY_WINDOWS[definition.privacyUnit.window])) ?? [];
    const holders = inputHolders(definition, {
      agencyOf: (role) => this.agencies.byRole(role),
      logins: () => this.presence.logins(),
    });
    const lacking = dates.flatMap((day) =>
      inputsLackingDate(holders, day).map((holder) => ({ holder, day })),
    );
    if (lacking.length === 0) return;
    const agencies = [...new Set(lacking.map(({ holder: h }) => h.agencyId ?? h.role))];
    const missing = [...new Set(lacking.map(({ day }) => day))];
    throw new CoordinatorError(
      'no-data-for-date',
      `no data for service date ${missing.join(', ')} at ${agencies.join(', ')} (${[
        ...new Set(
          lacking.map(({ holder: h }) => `${h.agencyId ?? h.role}: ${h.input} via ${h.connector}`),
        ),
      ].join(
        '; ',
      )}); nothing was charged. GET /catalogue/coverage lists the dates each agency holds`,
    );
  }

  private findRequest(requestedBy: string, requestId: string): Promise<SessionEntity | null> {
    return this.db.getRepository(SessionEntity).findOneBy({ requestedBy, requestId });
  }

  /** The session of a repeated request id, if the request is the same; a conflict otherwise. */
  private async sameRequest(row: SessionEntity, fingerprint: string): Promise<Session> {
    if (row.requestFingerprint === fingerprint) return this.get(row.id);
    throw new CoordinatorError(
      'idempotency-conflict',
      row.requestFingerprint === null
        ? `request id ${row.requestId} was used before request fingerprints were recorded; a new request needs a new request id`
        : `request id ${row.requestId} was already used for another request (protocol, version, parameters or budget); a new request needs a new request id`,
    );
  }

  async get(id: string): Promise<Session> {
    // `find`, not `findOne`: with a join, TypeORM turns findOne's LIMIT 1 into a second query
    // (SELECT DISTINCT over the ids) to page correctly; by primary key there is one row at most.
    const [row] = await this.db
      .getRepository(SessionEntity)
      .find({ where: { id }, relations: { protocolVersion: true } });
    if (!row) throw new CoordinatorError('not-found', `no session ${id}`);
    return sessionFromEntity(row, row.protocolVersion);
  }

  async list(limit: number): Promise<Session[]> {
    const rows = await this.db.getRepository(SessionEntity).find({
      relations: { protocolVersion: true },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return rows.map((r) => sessionFromEntity(r, r.protocolVersion));
  }

  async results(id: string): Promise<ReleasedOutput[]> {
    return (await this.resultRows(id)).map(outputFromEntity);
  }

  /** The stored release with each output's values as one text's bytes (downloads, the export). */
  async storedRelease(id: string): Promise<StoredOutput[]> {
    return (await this.resultRows(id)).map(storedOutputFromEntity);
  }

  /**
   * A session's result rows with the limbs read as base64 text: node-postgres reads `bytea` as
   * hex, twice the bytes to send and slower to decode (`binary` mode would decode it as UTF-8).
   */
  private async resultRows(id: string): Promise<ResultEntity[]> {
    const { entities, raw } = await this.db
      .getRepository(ResultEntity)
      .createQueryBuilder('r')
      .select([
        'r.id',
        'r.sessionId',
        'r.outputName',
        'r.unit',
        'r.valueField',
        'r.noisyValues',
        'r.intervalHalfWidth',
        'r.confidenceLevel',
        'r.noise',
      ])
      .addSelect(`encode(r.noisy_limbs, 'base64')`, 'limbs')
      .where('r.session_id = :id', { id })
      .getRawAndEntities<{ limbs: string | null }>();
    // No join: one raw row per entity, in the same order.
    return entities.map((row, i) => {
      const limbs = raw[i].limbs;
      row.noisyLimbs = limbs === null ? null : Buffer.from(limbs, 'base64');
      return row;
    });
  }

  async seals(id: string): Promise<SessionSeal[]> {
    const rows = await this.db
      .getRepository(SessionSealEntity)
      .find({ where: { sessionId: id }, order: { partyIndex: 'ASC' } });
    return rows.map((r) => ({
      party: r.partyIndex,
      agencyId: r.agencyId,
      headHash: r.headHash,
      signature: r.signature,
    }));
  }

  protocolRows(): Promise<ProtocolVersionEntity[]> {
    return this.db.getRepository(ProtocolVersionEntity).find();
  }
}
