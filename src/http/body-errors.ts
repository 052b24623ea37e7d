import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { EarlyRefusalReason, RecordEarlyRefusal } from './early-refusals.ts';
import { isStoreUnavailable, STORE_RETRY_AFTER_SECONDS } from '../platform/store/store-unavailable.ts';
import { requestLogger } from './request-id.ts';

/** The body limit of /graphql; generous for documents and variables, small enough to bound parsing. */
export const GRAPHQL_BODY_LIMIT = '256kb';
/** The same in bytes, as the JSON parser reads '256kb'. */
const GRAPHQL_BODY_LIMIT_BYTES = 256 * 1024;

interface BodyRefusal {
  status: number;
  message: string;
  code: string;
  reason: EarlyRefusalReason;
}

const NOT_UTF8_JSON = 'The request body must be UTF-8 JSON.';

/** The answer to a body the JSON parser refused, by the parser's error type; undefined for anything else. */
function refusalOf(error: unknown): BodyRefusal | undefined {
  const kind = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
  if (kind === 'entity.parse.failed')
    return {
      status: 400,
      message: 'The request body is not valid JSON.',
      code: 'BAD_REQUEST',
      reason: 'malformed_json',
    };
  if (kind === 'entity.too.large')
    return {
      status: 413,
      message: `The request body is larger than ${sizeLimitOf(error)}.`,
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'body_too_large',
    };
  if (kind === 'encoding.unsupported' || kind === 'charset.unsupported')
    return { status: 415, message: NOT_UTF8_JSON, code: 'BAD_REQUEST', reason: 'unsupported_encoding' };
  return undefined;
}

/**
 * The limit a body was over, as the route that refused it set it: body-parser gives its error the
 * route's `limit` in bytes (/console/demo-token's is 1 kB, /graphql's 256 kB), written here as the
 * routes write it ('1kb', '256kb').
 */
function sizeLimitOf(error: unknown): string {
  const limit = typeof error === 'object' && error !== null && 'limit' in error ? error.limit : undefined;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) return 'this route accepts';
  return limit % 1024 === 0 ? `${limit / 1024}kb` : `${limit} bytes`;
}

/**
 * The answer to an error the JSON parser of /graphql raised. Besides the kinds above, any other
 * refusal of the parser's (a gzip body that does not inflate, a length that does not match) comes
 * with a client status and no type of its own: the body, not the gateway, is at fault.
 */
function bodyRefusalOf(error: unknown): BodyRefusal | undefined {
  const known = refusalOf(error);
  if (known || clientStatusOf(error) === undefined) return known;
  return {
    status: 400,
    message:
      'The request body cannot be read: its Content-Encoding does not decode, or its length is not the one declared.',
    code: 'BAD_REQUEST',
    reason: 'unreadable_body',
  };
}

/**
 * The 4xx status an HTTP error carries (http-errors, as the body parser and the static files raise
 * them), or undefined for anything else: a fault of the gateway's own.
 */
function clientStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, type } = error as { status?: unknown; statusCode?: unknown; type?: unknown };
  // The JSON parser gives whatever our own `verify` hook throws status 403: a fault of ours, not the client's.
  if (type === 'entity.verify.failed') return undefined;
  const found = status ?? statusCode;
  return typeof found === 'number' && found >= 400 && found < 500 ? found : undefined;
}

/**
 * The answer to a client error raised outside the body parser (a console file that does not exist,
 * a path that cannot be decoded or that leaves the console's folder, a Range beyond a file's end, a
 * failed If-Match): its own status with a code that keeps its meaning, and a message of ours, never
 * the error's (which may name a file on the server). Any other client status is BAD_REQUEST.
 */
const CLIENT_ERROR_ANSWERS: Readonly<Record<number, { message: string; code: string }>> = {
  403: { message: 'Forbidden.', code: 'FORBIDDEN' },
  404: { message: 'Not found.', code: 'NOT_FOUND' },
  412: { message: 'A precondition of the request does not hold.', code: 'PRECONDITION_FAILED' },
  416: { message: 'The range asked for is not within the file.', code: 'RANGE_NOT_SATISFIABLE' },
};

function clientErrorAnswer(status: number): { message: string; code: string } {
  return CLIENT_ERROR_ANSWERS[status] ?? { message: 'Bad request.', code: 'BAD_REQUEST' };
}

/**
 * Express answers errors raised before GraphQL (bad JSON, oversized bodies) with an HTML page
 * carrying the stack trace. This answers them in GraphQL's error shape instead: a body the parser
 * refused by what is wrong with it, any other client error (4xx) with its own status, and anything
 * unforeseen as a masked 500, logging the details server-side only.
 */
export function bodyErrorHandler(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    withoutRepresentationHeaders(res);
    const refusal = refusalOf(error);
    const clientStatus = clientStatusOf(error);
    if (refusal) {
      res.status(refusal.status).json(errorBody(refusal.message, refusal.code));
    } else if (clientStatus !== undefined) {
      const answer = clientErrorAnswer(clientStatus);
      res.status(clientStatus).json(errorBody(answer.message, answer.code));
    } else if (isStoreUnavailable(error)) {
      // A route outside GraphQL that reads the store, in an outage: the same answer as a query's.
      res
        .status(503)
        .set('Retry-After', String(STORE_RETRY_AFTER_SECONDS))
        .json(errorBody("The gateway's store is unavailable; retry later.", 'STORE_UNAVAILABLE'));
    } else {
      requestLogger(req).error({ err: error }, 'unhandled error before GraphQL execution');
      res.status(500).json(errorBody('Unexpected error.', 'INTERNAL_SERVER_ERROR'));
    }
  };
}

/**
 * A static file's handler sets the file's own headers before it finds it cannot send it (a 412, a
 * 416): `Cache-Control: immutable` for a year, its ETag and date. Left on the error answer, a shared
 * cache would keep the error as the file. An error answer describes nothing to keep. (The
 * Content-Range a 416 must carry, `send` sets on the response itself, and it stays.)
 */
function withoutRepresentationHeaders(res: Response): void {
  for (const name of ['Cache-Control', 'ETag', 'Last-Modified', 'Expires', 'Content-Disposition', 'Accept-Ranges'])
    res.removeHeader(name);
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * /graphql's own answer to a body its JSON parser refused: the same answer as `bodyErrorHandler`'s
 * (one that names the body when it cannot be read at all), given only once the refusal is in the access log (the caller was authenticated before the body
 * was read). Anything else goes on to `bodyErrorHandler`.
 */
export function graphqlBodyErrorHandler(record: RecordEarlyRefusal): ErrorRequestHandler {
  return async (error: unknown, req, res, next) => {
    const refusal = bodyRefusalOf(error);
    if (!refusal || res.headersSent) {
      next(error);
      return;
    }
    if (!(await record(req, res, refusal.reason))) return;
    res.status(refusal.status).json(errorBody(refusal.message, refusal.code));
  };
}

/**
 * A POST whose body the JSON parser left alone (another content type, or none) is refused 415
 * here, recorded first when `record` is given. Apollo would otherwise refuse it as a possible
 * CSRF, or answer 500 for a missing body, both without an access-log entry.
 */
export function requireJsonBody(record?: RecordEarlyRefusal): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST' || req.body !== undefined) {
      next();
      return;
    }
    if (record && !(await record(req, res, 'unsupported_content_type'))) return;
    res.status(415).json(errorBody(NOT_UTF8_JSON, 'BAD_REQUEST'));
  };
}

/**
 * A body whose declared length is over the limit is refused (and recorded) before any of it is
 * read, without building the JSON parser's error. Node discards the unread rest after the answer,
 * keeping the connection. Closing it instead, so the rest is never read, cost as much CPU per
 * 1 MB refusal, the client reconnecting (bench/RESULTS-fixedcost.notes.md, branch refusals).
 * A body without a declared length is still cut off by the JSON parser's own limit.
 */
export function refuseOversizedBody(record?: RecordEarlyRefusal): RequestHandler {
  return async (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared === undefined || !(Number(declared) > GRAPHQL_BODY_LIMIT_BYTES)) {
      next();
      return;
    }
    if (record && !(await record(req, res, 'body_too_large'))) return;
    const refusal = refusalOf({ type: 'entity.too.large', limit: GRAPHQL_BODY_LIMIT_BYTES })!;
    res.status(refusal.status).json(errorBody(refusal.message, refusal.code));
  };
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}
