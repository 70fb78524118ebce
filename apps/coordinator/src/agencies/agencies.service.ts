import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Repository } from 'typeorm';
import { type AgencyRole, parseConsortium } from '#concord/consortium';
import { AgencyEntity, underRegistrationLock } from '#concord/persistence';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import type { Agency } from './agency.js';

/**
 * The registered agencies and their pinned identity keys. At boot the consortium file is the
 * source of truth: its agencies are upserted, so the table and the file never disagree.
 */
@Injectable()
export class AgenciesService implements OnModuleInit {
  private cache = new Map<string, Agency>();

  constructor(
    @InjectRepository(AgencyEntity) private readonly agencies: Repository<AgencyEntity>,
    private readonly config: CoordinatorConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
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
          },
          ['id'],
        );
      }
    });
    await this.reload();
    this.logger.info({ agencies: [...this.cache.keys()] }, 'consortium registered');
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
  };
}
