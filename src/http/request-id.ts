import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import type { Logger } from '../platform/logger.ts';
import { ObjectSlot } from '../platform/object-slot.ts';

export const requestIdHeader = 'x-request-id';

/** Long enough for a UUID or a trace id, short and plain enough to be safe in logs and headers. */
const saneRequestId = /^[A-Za-z0-9._-]{1,64}$/;

export interface RequestIdOptions {
  logger: Logger;
}

/** A request's id and its logger bound to `{ requestId }`, made only when something logs through it. */
class RequestLog {
  #logger: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    readonly id: string,
  ) {}

  get logger(): Logger {
    this.#logger ??= this.parent.child({ requestId: this.id });
    return this.#logger;
  }
}

const requestLogs = new ObjectSlot<IncomingMessage, RequestLog>('request log');

/**
 * Gives every request an id (the caller's, if sane, so ids line up across agency systems),
 * echoes it in the response, and writes one line when the response is done: method, path,
 * status, duration and id. A child logger bound to `{ requestId }` is made only for a request
 * that logs something else (`requestLogger`): most log nothing but their completion line.
 * (It replaced pino-http, whose two child loggers and serializers per request cost more than
 * the rest of a small request's own work: bench/RESULTS-fixedcost.notes.md.)
 */
export function createRequestIdMiddleware({ logger }: RequestIdOptions): RequestHandler {
  return (req, res, next) => {
    const startedAt = Date.now();
    const id = inboundRequestId(req) ?? randomUUID();
    res.setHeader(requestIdHeader, id);
    requestLogs.set(req, new RequestLog(logger, id));
    let failure: unknown;
    res.once('error', (error) => (failure = error));
    // 'close' comes after 'finish', and alone when the client went away first: one line either way.
    res.once('close', () => logCompletion(logger, req, res, id, Date.now() - startedAt, failure));
    next();
  };
}

export function requestIdOf(req: Request): string {
  return requestLogOf(req, 'requestIdOf').id;
}

export function requestLogger(req: Request): Logger {
  return requestLogOf(req, 'requestLogger').logger;
}

/** The request's logger, made on first use of `logger`: for holding without holding the request. */
export function requestLogHandle(req: Request): { readonly logger: Logger } {
  return requestLogOf(req, 'requestLogHandle');
}

function requestLogOf(req: Request, accessor: string): RequestLog {
  const log = requestLogs.get(req);
  if (!log) throw new Error(`${accessor}: the request-id middleware has not run for this request`);
  return log;
}

function inboundRequestId(req: IncomingMessage): string | undefined {
  const value = req.headers[requestIdHeader];
  return typeof value === 'string' && saneRequestId.test(value) ? value : undefined;
}

/**
 * A server error, or a response that failed to be written, is logged at error level. A 503 that
 * says when to come back (`Retry-After`: stopping, a store or agency outage, a full queue) is the
 * gateway refusing as designed, not failing: a warning, so an alert on errors does not fire for
 * every probe of a gateway that is draining.
 */
function logCompletion(
  logger: Logger,
  req: Request,
  res: ServerResponse,
  requestId: string,
  durationMs: number,
  failure: unknown,
): void {
  const line = { requestId, req: requestSummary(req), res: { statusCode: res.statusCode }, durationMs };
  if (failure === undefined && res.statusCode === 503 && res.hasHeader('retry-after')) {
    logger.warn({ ...line, retryAfter: res.getHeader('retry-after') }, 'request refused as unavailable');
  } else if (failure !== undefined || res.statusCode >= 500) {
    logger.error(
      { ...line, err: failure ?? new Error(`failed with status code ${res.statusCode}`) },
      'request errored',
    );
  } else {
    logger.info(line, 'request completed');
  }
}

/**
 * An allow-list, not a deny-list: the Authorization header, cookies and bodies never reach the
 * logs, and the query string is dropped because GraphQL GET variables can hold personal data
 * such as ID-card numbers.
 */
function requestSummary(req: Request) {
  // originalUrl: Express rewrites req.url inside mounted routers.
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return {
    method: req.method,
    path: query === -1 ? url : url.slice(0, query),
    userAgent: req.headers['user-agent'],
    contentLength: req.headers['content-length'],
  };
}
