import { Module } from '@nestjs/common';
import { CatalogueService } from './catalogue.service.js';
import { PublicDataService } from './public-data.service.js';

@Module({ providers: [CatalogueService, PublicDataService], exports: [CatalogueService] })
export class CatalogueModule {}
