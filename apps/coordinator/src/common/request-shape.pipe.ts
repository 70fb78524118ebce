import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { checkShape, type ShapeLimits } from '#concord/wire';

/**
 * What any request body or query may look like. The API's DTOs nest two levels with a dozen
 * keys; the body parser already bounds the body to 64 KiB.
 */
export const REQUEST_SHAPE: ShapeLimits = Object.freeze({
  maxDepth: 8,
  maxKeys: 64,
  maxArrayLength: 1000,
  maxStringLength: 64 * 1024,
  maxNodes: 10_000,
});

/**
 * Runs before the ValidationPipe on every body and query: one bounded, iterative pass refuses
 * deep, wide or prototype-keyed JSON (400 with a typed code) before class-transformer, which
 * recurses and would overflow the stack on a few thousand levels.
 */
@Injectable()
export class RequestShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' || metadata.type === 'query')
      checkShape(value, REQUEST_SHAPE, `the request ${metadata.type}`);
    return value;
  }
}
