import { Global, Module } from '@nestjs/common';
import { JiffEndpoint } from './jiff-endpoint.service.js';
import { JiffGateway } from './jiff.gateway.js';

/**
 * The JIFF-compatible endpoint (docs/jiff.md): the core and its gateway. Global, so the session
 * runtime can register and withdraw computations.
 */
@Global()
@Module({
  providers: [JiffEndpoint, JiffGateway],
  exports: [JiffEndpoint],
})
export class JiffModule {}
