import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Repository } from 'typeorm';
import {
  type AgencyRole,
  type Consortium,
  keyAt,
  type KeyValidity,
  keyHistoryToJson,
  parseConsortium,
  parseKeyHistory,
} from '#concord/consortium';
import { describeError } from '#concord/errors';
import { AgencyEntity, underRegistrationLock } from '#concord/persistence';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import type { Agency } from './agency.js';

/**
 * The registered agencies and their pinned identity keys (each agency's key history). At boot the
 * consortium file is the source of truth: its agencies are upserted, so the table and the file
 * never disagree. On SIGHUP the file is read again (an applied rotation or revocation takes effect
 * without a restart); a file that does not parse is refused and the previous keys stay.
 */
@Injectable()
export class AgenciesService implements OnModuleInit, OnApplicationShutdown {
  private cache = new Map<string, Agency>();
  private readonly onHangup = (): void => {
    this.register()
      .then(() => this.logger.info({ agencies: [...this.cache.keys()] }, 'consortium re-read'))
      .catch((e: unknown) =>
        this.logger.error(
          { err: describeError(e) },
          'consortium file refused on SIGHUP; the previous keys stay',
        ),
      );
  };

  constructor(
    @InjectRepository(AgencyEntity) private readonly agencies: Repository<AgencyEntity>,
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.register();
    this.logger.info({ agencies: [...this.cache.keys()] }, 'consortium registered');
    process.on('SIGHUP', this.onHangup);
  }

  onApplicationShutdown(): void {
    process.off('SIGHUP', this.onHangup);
  }

  private async register(): Promise<void> {
    const consortium = parseConsortium(
      JSON.parse(readFileSync(this.config.CONSORTIUM_FILE, 'utf8')),
    );
    // Replicas starting together register the same agencies: one at a time.
    await underRegistrationLock(this.agencies.manager, async (m) => {
      // Party indexes are unique: clear rows the file no longer lists before upserting.
      const ids = consortium.agencies.map((a) => a.id);
      await m
        .createQueryBuilder()
        .delete()
        .from(AgencyEntity)
        .where('id NOT IN (:...ids)', { ids })
        .execute();
      for (const a of consortium.agencies) {
        await m.upsert(
          AgencyEntity,
          {
            id: a.id,
            name: a.name,
            role: a.role,
            partyIndex: a.party,
            identityPublicKey: Buffer.from(a.identityKey),
            keyHistory: keyHistoryToJson(a.keys),
          },
          ['id'],
        );
      }
    });
    await this.reload();
  }

  private async reload(): Promise<void> {
    const rows = await this.agencies.find();
    this.cache = new Map(rows.map((r) => [r.id, toAgency(r)]));
  }

  byId(id: string): Agency | undefined {
    return this.cache.get(id);
  }

  byParty(party: number): Agency | undefined {
    return [...this.cache.values()].find((a) => a.party === party);
  }

  byRole(role: AgencyRole): Agency | undefined {
    return [...this.cache.values()].find((a) => a.role === role);
  }

  /** The key of `party` in force at `time` (epoch ms), or why none is. */
  keyAt(party: number, time: number): KeyValidity {
    return keyAt(this.consortium(), party, time);
  }

  /**
   * The registered agencies as a consortium (for the verifier): their key histories without the
   * statements, which the coordinator checked when it read the file.
   */
  consortium(): Consortium {
    const agencies = [1, 2, 3].flatMap((p) => this.byParty(p) ?? []);
    return { name: 'pinned', agencies, statements: [] };
  }

  /** role → party index, for plans; undefined until all three roles are registered. */
  partyMap(): Record<AgencyRole, 1 | 2 | 3> | undefined {
    const find = (role: AgencyRole): 1 | 2 | 3 | undefined =>
      [...this.cache.values()].find((a) => a.role === role)?.party;
    const [transit, payments, planning] = [find('transit'), find('payments'), find('planning')];
    return transit && payments && planning ? { transit, payments, planning } : undefined;
  }
}

function toAgency(row: AgencyEntity): Agency {
  return {
    id: row.id,
    name: row.name,
    role: row.role as AgencyRole,
    party: row.partyIndex as 1 | 2 | 3,
    identityKey: new Uint8Array(row.identityPublicKey),
    keys: parseKeyHistory(row.keyHistory, `agencies[${row.id}].key_history`),
  };
}
