import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { EarlyRefusalReason, RecordEarlyRefusal } from './early-refusals.ts';
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
      message: `The request body is larger than ${GRAPHQL_BODY_LIMIT}.`,
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'body_too_large',
    };
  if (kind === 'encoding.unsupported' || kind === 'charset.unsupported')
    return { status: 415, message: NOT_UTF8_JSON, code: 'BAD_REQUEST', reason: 'unsupported_encoding' };
  return undefined;
}

/**
 * Express answers errors raised before GraphQL (bad JSON, oversized bodies) with an HTML page
 * carrying the stack trace. This answers them in GraphQL's error shape instead, and anything
 * unforeseen as a masked 500, logging the details server-side only.
 */
export function bodyErrorHandler(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const refusal = refusalOf(error);
    if (refusal) {
      res.status(refusal.status).json(errorBody(refusal.message, refusal.code));
    } else {
      requestLogger(req).error({ err: error }, 'unhandled error before GraphQL execution');
      res.status(500).json(errorBody('Unexpected error.', 'INTERNAL_SERVER_ERROR'));
    }
  };
}

/**
 * /graphql's own answer to a body its JSON parser refused: the same answer as `bodyErrorHandler`'s,
 * given only once the refusal is in the access log (the caller was authenticated before the body
 * was read). Anything else goes on to `bodyErrorHandler`.
 */
export function graphqlBodyErrorHandler(record: RecordEarlyRefusal): ErrorRequestHandler {
  return async (error: unknown, req, res, next) => {
    const refusal = refusalOf(error);
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
    const refusal = refusalOf({ type: 'entity.too.large' })!;
    res.status(refusal.status).json(errorBody(refusal.message, refusal.code));
  };
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}
