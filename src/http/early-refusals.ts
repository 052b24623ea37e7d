import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../auth/index.ts';
import { currentTraceId } from '../platform/child-span.ts';
import type { AccessLogInput } from '../modules/audit/access-log.ts';
import { hashQuery } from '../modules/audit/access-log-hash.ts';
import type { AccessLogWriter } from '../modules/audit/access-log-writer.ts';
import { appendFailureDetails } from '../modules/audit/withheld-answer-log.ts';
import { withheldAnswer } from '../modules/audit/withheld-answer.ts';
import { noteAccessLogged } from './access-logged-requests.ts';

/** Why /graphql refused a request before GraphQL saw it, as the access log's `reason` says it. */
export type EarlyRefusalReason =
  | 'body_too_large'
  | 'malformed_json'
  | 'unreadable_body'
  | 'nested_too_deep'
  | 'unsupported_encoding'
  | 'unsupported_content_type'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'rate_limited'
  | 'too_many_failed_authentications';

/** What is known of a refused request's document, when it was read: as the access-log plugin records it. */
export interface RefusedDocument {
  operationName: string | null;
  queryHash: string;
  purpose: string | null;
}

/**
 * Records one request refused before GraphQL (its body, its rate, its document's size). Resolves
 * true once the refusal is in the access log; false when it could not be, after answering the
 * request 503 itself: no answer leaves unrecorded, a refusal included. `reason` is null for a
 * document refused as graphql-js would have refused it (the plugin records those without one).
 */
export type RecordEarlyRefusal = (
  req: Request,
  res: Response,
  reason: EarlyRefusalReason | null,
  document?: RefusedDocument,
) => Promise<boolean>;

/** Every such entry has the same document hash: none was read. Computed once. */
const NO_DOCUMENT_HASH = hashQuery('', null);

/**
 * The access log's entry for a request refused before its document was read: the caller the
 * token proved (none when it was refused before its token was looked at), the client's address
 * and the reason; no operation, no fields. The body is never read for it, so recording a 413
 * costs the INSERT only. Once the entry is written, or the request answered 503 because it could
 * not be, the request is noted as settled for the access-log guard.
 */
export function earlyRefusalRecorder(
  writer: AccessLogWriter,
  logger: Logger,
  callerOf: (req: Request) => Principal | undefined,
): RecordEarlyRefusal {
  return async (req, res, reason, document) => {
    noteAccessLogged(req);
    try {
      await writer.append(refusalEntry(req, callerOf(req), reason, document));
      return true;
    } catch (failure) {
      logger.error({ ...appendFailureDetails(failure), reason }, 'refused request could not be logged; answered 503');
      answerAccessLogUnavailable(res, writer, failure);
      return false;
    }
  };
}

/** The entry of a refused request: its caller (if known), address, reason and what is known of its document. */
export function refusalEntry(
  req: Request,
  caller: Principal | undefined,
  reason: string | null,
  document?: RefusedDocument,
): AccessLogInput {
  return addressedRefusalEntry(req.ip ?? null, caller, reason, document);
}

/** The same entry from the client's address alone: for bytes refused before Node made a request of them. */
export function addressedRefusalEntry(
  clientAddress: string | null,
  caller: Principal | undefined,
  reason: string | null,
  document?: RefusedDocument,
): AccessLogInput {
  return {
    at: new Date(),
    durationMs: 0,
    callerSubject: caller?.subject ?? '',
    issuer: caller?.issuer ?? '',
    authorityCode: caller?.authorityCode ?? '',
    roles: caller ? [...caller.roles] : [],
    purpose: document?.purpose ?? null,
    operationName: document?.operationName ?? null,
    queryHash: document?.queryHash ?? NO_DOCUMENT_HASH,
    subjects: [],
    conditionalFields: [],
    notSharedFields: [],
    deniedFields: [],
    outcome: 'ERROR',
    clientAddress,
    reason,
    traceId: currentTraceId(),
  };
}

/**
 * 503 with Retry-After: the access log cannot be written, so no answer is given. Said as every
 * withheld answer says it (withheld-answer.ts): STORE_UNAVAILABLE when the store cannot be reached.
 */
export function answerAccessLogUnavailable(res: Response, writer: AccessLogWriter, failure?: unknown): void {
  const withheld = withheldAnswer(writer, failure);
  res
    .status(503)
    .set('Retry-After', String(withheld.extensions.retryAfterSeconds))
    .json({ errors: [withheld] });
}
