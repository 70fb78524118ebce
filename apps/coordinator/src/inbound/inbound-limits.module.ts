import { Global, Module } from '@nestjs/common';
import { FailedAttempts } from './failed-attempts.js';
import { FrameRefusals } from './frame-refusals.js';

/**
 * What bounds hostile clients across endpoints: failed authentications per address (REST and
 * node logins) and the count of refused socket frames.
 */
@Global()
@Module({ providers: [FailedAttempts, FrameRefusals], exports: [FailedAttempts, FrameRefusals] })
export class InboundLimitsModule {}
