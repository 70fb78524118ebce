import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller.js';
import { CatalogueService } from './catalogue.service.js';
import { PublicDataService } from './public-data.service.js';

@Module({
  controllers: [CatalogueController],
  providers: [CatalogueService, PublicDataService],
  exports: [CatalogueService],
})
export class CatalogueModule {}
