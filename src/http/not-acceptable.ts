import type { RequestHandler } from 'express';
import type { RecordEarlyRefusal } from './early-refusals.ts';

/**
 * The media types Apollo answers a single result in (`MEDIA_TYPES` of @apollo/server's
 * ApolloServer.js, negotiated by `chooseContentTypeForSingleResultResponse`).
 */
const ANSWER_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];

/** Apollo's own words for it, so a client sees the same refusal as before. */
const MESSAGE =
  "An 'accept' header was provided for this request which does not accept application/json; charset=utf-8 or application/graphql-response+json; charset=utf-8";

/**
 * A request whose Accept header admits none of the media types an answer is given in is refused
 * 406 here, recorded first when `record` is given, before its body is read or its operation runs.
 * Apollo negotiates the answer's media type only once the operation has been executed: a mutation
 * would run (a grant made, a clue transferred) for a caller told it was refused, agencies would be
 * asked for a query's records, and the access log would record the answer never given as `OK`.
 * An absent or empty header accepts JSON, as Apollo reads it.
 */
export function refuseUnacceptable(record?: RecordEarlyRefusal): RequestHandler {
  return async (req, res, next) => {
    const accept = req.headers.accept;
    if (accept === undefined || accept.trim() === '' || req.accepts(ANSWER_TYPES) !== false) {
      next();
      return;
    }
    if (record && !(await record(req, res, 'not_acceptable'))) return;
    res
      .status(406)
      .json({ errors: [{ message: MESSAGE, extensions: { code: 'BAD_REQUEST', reason: 'not_acceptable' } }] });
  };
}
