import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../platform/logger.ts';

export const requestIdHeader = 'x-request-id';

/** Long enough for a UUID or a trace id, short and plain enough to be safe in logs and headers. */
const saneRequestId = /^[A-Za-z0-9._-]{1,64}$/;

export interface RequestIdOptions {
  logger: Logger;
}

/**
 * Gives every request an id (the caller's, if sane, so ids line up across agency systems),
 * echoes it in the response, and attaches a child logger bound to `{ requestId }`.
 *
 * Typing: pino-http augments Node's IncomingMessage with `id` and `log`, which Express's
 * Request extends, so neither a type assertion nor declaration merging of ours is needed;
 * `requestIdOf` / `requestLogger` below are the accessors the rest of the code should use.
 */
export function createRequestIdMiddleware({ logger }: RequestIdOptions): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = inboundRequestId(req) ?? randomUUID();
      res.setHeader(requestIdHeader, id);
      return id;
    },
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    serializers: { req: serializeRequest, res: serializeResponse },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  });
}

export function requestIdOf(req: Request): string {
  if (req.id === undefined) throw new Error('requestIdOf: the request-id middleware has not run for this request');
  return String(req.id);
}

export function requestLogger(req: Request): Logger {
  // Typed non-optional by pino-http's augmentation, but absent if the middleware was not mounted.
  if (!req.log) throw new Error('requestLogger: the request-id middleware has not run for this request');
  return req.log;
}

function inboundRequestId(req: IncomingMessage): string | undefined {
  const value = req.headers[requestIdHeader];
  return typeof value === 'string' && saneRequestId.test(value) ? value : undefined;
}

/**
 * An allow-list, not a deny-list: the Authorization header, cookies and bodies never reach the
 * logs, and the query string is dropped because GraphQL GET variables can hold personal data
 * such as ID-card numbers.
 */
function serializeRequest(req: IncomingMessage & { raw?: ExpressishRequest }) {
  const raw: ExpressishRequest = req.raw ?? req;
  return {
    method: raw.method,
    // originalUrl: Express rewrites req.url inside mounted routers, and this may run from there.
    path: (raw.originalUrl ?? raw.url ?? '').split('?')[0],
    userAgent: raw.headers['user-agent'],
    contentLength: raw.headers['content-length'],
  };
}

type ExpressishRequest = IncomingMessage & { originalUrl?: string };

function serializeResponse(res: ServerResponse & { raw?: ServerResponse }) {
  const raw = res.raw ?? res;
  return { statusCode: raw.statusCode };
}
