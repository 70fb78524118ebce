import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import { REQUEST_ID_HEADER, requestIdFor, type RequestWithId } from './request-id.js';

/**
 * Express middleware, first in the chain: gives every HTTP request its id (answered in
 * `X-Request-Id`, repeated in problem documents) and writes one structured line when the
 * response is finished or the connection closes first. The line holds the method, the path
 * without its query string, the route pattern, the status, the duration, the client address and
 * the principal's token id — never a header's value or a body, so no token can be in it.
 *
 * Successful health probes (every few seconds from an orchestrator) are logged at debug level.
 */
export function accessLog(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFor(request.headers[REQUEST_ID_HEADER]);
    (request as RequestWithId).requestId = requestId;
    response.setHeader('X-Request-Id', requestId);
    let logged = false;
    const log = (): void => {
      if (logged) return;
      logged = true;
      // A path is the caller's text: bounded, so a long one cannot swell the log.
      const path = request.originalUrl.split('?')[0].slice(0, 512);
      const status = response.headersSent ? response.statusCode : undefined;
      const principal = (request as AuthenticatedRequest).principal;
      const route = (request.route as { path?: unknown } | undefined)?.path;
      const fields = {
        requestId,
        method: request.method,
        path,
        ...(typeof route === 'string' ? { route } : {}),
        status,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
        address: request.ip,
        // The bootstrap admin token (ADMIN_TOKEN) has no id of its own.
        ...(principal ? { principal: principal.tokenId ?? 'environment-admin' } : {}),
        ...(response.writableFinished ? {} : { aborted: true }),
      };
      const probe = path.startsWith('/health') && status !== undefined && status < 400;
      logger[probe ? 'debug' : 'info'](fields, 'http request');
    };
    response.once('finish', log);
    response.once('close', log);
    next();
  };
}
