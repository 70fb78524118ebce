import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

/**
 * OpenAPI documentation of an RFC 7807 problem document (`Problem` in ../problem.ts): what every
 * error answers with. A documentation type only; the filter builds the real body.
 */
export class ProblemDoc {
  @ApiProperty({
    description: 'Stable URI of the error code (clients switch on it)',
    example: 'https://concord.example/problems/invalid-request',
  })
  type: string;

  @ApiProperty({ example: 'Invalid request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ description: 'What went wrong, for a person to read' })
  detail: string;

  @ApiProperty({
    description: 'The error code, as at the end of `type`',
    example: 'invalid-request',
  })
  code: string;

  @ApiPropertyOptional({ description: 'The request path' })
  instance?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Each invalid field, when validation failed',
  })
  issues?: string[];

  @ApiPropertyOptional({ description: 'The request id, as in the X-Request-Id header' })
  requestId?: string;
}

const PROBLEMS: readonly [number, string][] = [
  [400, 'The request is malformed or invalid (the detail and issues say which field)'],
  [401, 'No bearer token, or one that is unknown, expired or revoked'],
  [403, 'The token’s role may not call this'],
  [404, 'No such resource'],
  [429, 'Rate limited: retry after the Retry-After header'],
];

/** The problem documents an authenticated endpoint can answer with, documented once. */
export function ApiProblemResponses(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDoc),
    ...PROBLEMS.map(([status, description]) =>
      ApiResponse({
        status,
        description,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDoc) } } },
      }),
    ),
  );
}
