import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI documentation of the probes (../health.controller.ts). */
export class LivenessDoc {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

/** Terminus's readiness answer: each check's result by name. */
export class ReadinessDoc {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Checks up' })
  info?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Checks down' })
  error?: Record<string, unknown>;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Every check' })
  details: Record<string, unknown>;
}
