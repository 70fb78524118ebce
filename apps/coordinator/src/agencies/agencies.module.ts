import { Module } from '@nestjs/common';
import { AgenciesService } from './agencies.service.js';

@Module({ providers: [AgenciesService], exports: [AgenciesService] })
export class AgenciesModule {}
