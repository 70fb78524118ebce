import { Global, Module } from '@nestjs/common';
import { JiffEndpoint } from './jiff-endpoint.service.js';
import { JiffGateway } from './jiff.gateway.js';

/**
 * The JIFF-compatible endpoint (docs/jiff.md): the core, its gateway, and the engines nodes
 * announced. Global, so the node gateway and the session orchestrator can use it.
 */
@Global()
@Module({
  providers: [JiffEndpoint, JiffGateway],
  exports: [JiffEndpoint],
})
export class JiffModule {}
