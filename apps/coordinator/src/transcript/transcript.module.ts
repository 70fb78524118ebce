import { Module } from '@nestjs/common';
import { TranscriptService } from './transcript.service.js';

@Module({ providers: [TranscriptService], exports: [TranscriptService] })
export class TranscriptModule {}
