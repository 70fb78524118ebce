import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { ProtocolVersionEntity, underRegistrationLock } from '#concord/persistence';
import {
  type AxisSelection,
  type Catalogue,
  type CatalogueEntry,
  readCatalogueDirectory,
  selectAxisValues,
} from '#concord/protocol';
import { CoordinatorConfig } from '../config/coordinator-config.js';
import { ROOT_LOGGER } from '../config/config.module.js';
import { CoordinatorError } from '../common/coordinator-error.js';
import { PublicDataService } from './public-data.service.js';

/** The protocols this coordinator offers, each registered in `protocol_versions` by hash. */
@Injectable()
export class CatalogueService implements OnModuleInit {
  private catalogueValue: Catalogue;
  private readonly versionIds = new Map<string, string>();

  constructor(
    @InjectRepository(ProtocolVersionEntity)
    private readonly versions: Repository<ProtocolVersionEntity>,
    private readonly config: CoordinatorConfig,
    private readonly publicData: PublicDataService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.catalogueValue = readCatalogueDirectory(this.config.PROTOCOLS_DIR);
    // Replicas starting together register the same versions: one at a time.
    await underRegistrationLock(this.versions.manager, async (m) => {
      for (const entry of this.catalogueValue.entries()) {
        const d = entry.analysis.definition;
        await m.upsert(
          ProtocolVersionEntity,
          {
            protocolId: d.id,
            version: d.version,
            hash: entry.hash,
            title: d.title,
            definition: { ...d } as QueryDeepPartialEntity<ProtocolVersionEntity>['definition'],
          },
          ['hash'],
        );
        const row = await m.findOneByOrFail(ProtocolVersionEntity, { hash: entry.hash });
        this.versionIds.set(entry.hash, row.id);
      }
    });
    this.logger.info(
      {
        protocols: this.catalogue
          .entries()
          .map((e) => `${e.analysis.definition.id}@${e.analysis.definition.version}`),
      },
      'catalogue loaded',
    );
  }

  /** The whole catalogue (for verifying transcripts against it). */
  get catalogue(): Catalogue {
    return this.catalogueValue;
  }

  entries(): CatalogueEntry[] {
    return this.catalogueValue.entries();
  }

  find(id: string, version?: string): CatalogueEntry {
    const entry = this.catalogueValue.find(id, version);
    if (!entry)
      throw new CoordinatorError(
        'unknown-protocol',
        `no protocol ${id}${version ? `@${version}` : ''} in the catalogue`,
      );
    return entry;
  }

  byHash(hash: string): CatalogueEntry | undefined {
    return this.catalogueValue.byProtocolHash(hash);
  }

  versionId(hash: string): string {
    const id = this.versionIds.get(hash);
    if (!id) throw new CoordinatorError('unknown-protocol', 'protocol version is not registered');
    return id;
  }

  /**
   * Values of every public axis of a protocol, from the public reference data; where the analyst
   * selected some values of an axis, those (`selectAxisValues` refuses any it cannot take).
   */
  axisValues(entry: CatalogueEntry, selection?: AxisSelection): Record<string, string[]> {
    const all: Record<string, string[]> = {};
    for (const axis of entry.analysis.definition.axes) {
      if ('public' in axis.source) all[axis.name] = this.publicData.values(axis.source.public);
    }
    return selectAxisValues(entry.analysis.definition, all, selection);
  }
}
