import type { NextFunction, Request, Response } from 'express';
import { problem } from './problem.js';

/** body-parser's error types (`err.type`) and the problem each is answered with. */
const BODY_PROBLEMS: Readonly<Record<string, [number, string, string]>> = {
  'entity.parse.failed': [400, 'invalid-json', 'The request body is not valid JSON'],
  'entity.too.large': [413, 'payload-too-large', 'The request body is too large'],
  'entity.verify.failed': [400, 'invalid-request', 'The request body was refused'],
  'encoding.unsupported': [415, 'unsupported-encoding', 'The body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported-charset', 'The body charset is not supported'],
  'request.aborted': [400, 'request-aborted', 'The request was aborted'],
  'request.size.invalid': [400, 'invalid-request', 'The request body length is wrong'],
  'stream.encoding.set': [400, 'invalid-request', 'The request body could not be read'],
  'parameters.too.many': [413, 'payload-too-large', 'The request has too many parameters'],
};

/**
 * Answers a body the parser refused (malformed JSON, too large, unknown encoding) with a typed
 * RFC 7807 problem instead of Express's HTML page. Registered right after the body parser: the
 * parser's errors never reach Nest's exception filters.
 */
export function bodyParserErrors(
  error: unknown,
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const type = (error as { type?: unknown } | null)?.type;
  const known = typeof type === 'string' ? BODY_PROBLEMS[type] : undefined;
  if (!known || response.headersSent) {
    next(error);
    return;
  }
  const [status, code, title] = known;
  response
    .status(status)
    .type('application/problem+json')
    .json({ ...problem(status, code, title, title), instance: request.originalUrl });
}
