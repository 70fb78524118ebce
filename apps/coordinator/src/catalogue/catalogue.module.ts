import { Module } from '@nestjs/common';
import { AccuracyController } from './accuracy.controller.js';
import { CatalogueController } from './catalogue.controller.js';
import { CatalogueService } from './catalogue.service.js';
import { PublicDataService } from './public-data.service.js';

@Module({
  controllers: [CatalogueController, AccuracyController],
  providers: [CatalogueService, PublicDataService],
  exports: [CatalogueService],
})
export class CatalogueModule {}
