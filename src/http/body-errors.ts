import type { ErrorRequestHandler } from 'express';
import { requestLogger } from './request-id.ts';

/** The body limit of /graphql; generous for documents and variables, small enough to bound parsing. */
export const GRAPHQL_BODY_LIMIT = '256kb';

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
    const kind = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
    if (kind === 'entity.parse.failed') {
      res.status(400).json(errorBody('The request body is not valid JSON.', 'BAD_REQUEST'));
    } else if (kind === 'entity.too.large') {
      res.status(413).json(errorBody(`The request body is larger than ${GRAPHQL_BODY_LIMIT}.`, 'PAYLOAD_TOO_LARGE'));
    } else if (kind === 'encoding.unsupported' || kind === 'charset.unsupported') {
      res.status(415).json(errorBody('The request body must be UTF-8 JSON.', 'BAD_REQUEST'));
    } else {
      requestLogger(req).error({ err: error }, 'unhandled error before GraphQL execution');
      res.status(500).json(errorBody('Unexpected error.', 'INTERNAL_SERVER_ERROR'));
    }
  };
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}
