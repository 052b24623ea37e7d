import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Principal } from '../auth/index.ts';
import { hashQuery } from '../modules/audit/access-log-hash.ts';
import { ObjectSlot } from '../platform/object-slot.ts';
import type { AccessLogWriter } from '../modules/audit/access-log-writer.ts';
import { appendFailureDetails } from '../modules/audit/withheld-answer-log.ts';
import { accessLogged, announceAccessLogEntry, noteAccessLogged } from './access-logged-requests.ts';
import { answerAccessLogUnavailable, type RefusedDocument, refusalEntry } from './early-refusals.ts';
import { requestPurpose } from './purpose-header.ts';
import { type AnsweredError, unloggedAnswerReason } from './refusal-reasons.ts';

/** Responses whose answer the guard holds; the /graphql chain may be entered twice (POST route, then `use`). */
const guarded = new ObjectSlot<Response, true>('answer guarded');

/** Answers withheld for an outage of the store the log is in: they answer nothing, and no entry could be written. */
const OUTAGE_CODES = new Set<unknown>(['STORE_UNAVAILABLE', 'ACCESS_LOG_UNAVAILABLE']);

export interface UnloggedAnswerGuardOptions {
  writer: AccessLogWriter;
  logger: Logger;
  /** The caller the token proved, if the authenticator got that far. */
  callerOf: (req: Request) => Principal | undefined;
}

/**
 * The last word on every answer of /graphql: one that leaves without an access-log entry — any
 * refusal by Apollo before its pipeline (a batch, CSRF prevention, a malformed request, a wrong
 * method), a context that could not be built (a refused purpose), the trusted-documents 403, the
 * identity platform being down, an unforeseen 500 — is held, recorded with its reason
 * (refusal-reasons.ts) and sent once the entry is committed, or replaced by 503 with Retry-After
 * when it cannot be. One mechanism for the class, so a refusal added later is covered too.
 *
 * Mounted first on /graphql. Holding an answer means wrapping the response's `end`, which every
 * answer of Express and Apollo goes through with its headers not yet written (an answer streamed
 * with `write` first could not be held; /graphql streams none). A request already logged costs
 * one property read when it is answered.
 */
export function guardUnloggedAnswers(options: UnloggedAnswerGuardOptions): RequestHandler {
  return (req, res, next) => {
    if (!guarded.has(res)) {
      guarded.set(res, true);
      // Every request here writes one entry; until it has (or has gone), the writer may wait for it.
      const arrived = options.writer.expect();
      announceAccessLogEntry(req, arrived);
      res.once('close', arrived);
      holdUnloggedAnswer(req, res, options);
    }
    next();
  };
}

type End = (...args: unknown[]) => Response;

function holdUnloggedAnswer(req: Request, res: Response, options: UnloggedAnswerGuardOptions): void {
  const end = res.end as unknown as End;
  const held: End = function (this: Response, ...args) {
    if (accessLogged(req) || res.headersSent) return end.apply(this, args);
    noteAccessLogged(req);
    void recordThenAnswer(req, res, options, () => end.apply(res, args), args[0]);
    return this;
  };
  res.end = held as unknown as Response['end'];
}

async function recordThenAnswer(
  req: Request,
  res: Response,
  { writer, logger, callerOf }: UnloggedAnswerGuardOptions,
  answer: () => void,
  chunk: unknown,
): Promise<void> {
  const errors = answeredErrors(chunk);
  if (res.statusCode === 503 && OUTAGE_CODES.has(errors[0]?.extensions?.['code'])) {
    answer();
    return;
  }
  const reason = unloggedAnswerReason({ status: res.statusCode, method: req.method, body: req.body, errors });
  const caller = callerOf(req);
  try {
    await writer.append(refusalEntry(req, caller, reason, documentOf(req, caller)));
  } catch (failure) {
    logger.error({ ...appendFailureDetails(failure), reason }, 'refused request could not be logged; answered 503');
    for (const header of ['content-type', 'content-length', 'allow', 'www-authenticate']) res.removeHeader(header);
    answerAccessLogUnavailable(res, writer, failure);
    return;
  }
  answer();
}

/** The errors of a JSON answer's body; none for another body (or none at all: a HEAD). */
function answeredErrors(chunk: unknown): readonly AnsweredError[] {
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) return [];
  try {
    const body: unknown = JSON.parse(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
    return Array.isArray(errors) ? (errors as AnsweredError[]) : [];
  } catch {
    return [];
  }
}

/** What the request asked, as far as it can be read without parsing: its operation's name, hash and purpose. */
function documentOf(req: Request, caller: Principal | undefined): RefusedDocument | undefined {
  const sent: unknown = req.method === 'GET' ? req.query : req.body;
  if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return undefined;
  const { query, variables, operationName } = sent as Record<string, unknown>;
  if (typeof query !== 'string') return undefined;
  let purpose: string | null = null;
  try {
    purpose = requestPurpose(req, caller?.purpose ?? null);
  } catch {
    // The purpose may be what was refused; the entry then states none.
  }
  return {
    operationName: typeof operationName === 'string' ? operationName : null,
    queryHash: hashQuery(query, parsedVariables(variables)),
    purpose,
  };
}

function parsedVariables(variables: unknown): Record<string, unknown> | null {
  if (typeof variables === 'string') {
    try {
      return parsedVariables(JSON.parse(variables));
    } catch {
      return null;
    }
  }
  return typeof variables === 'object' && variables !== null && !Array.isArray(variables)
    ? (variables as Record<string, unknown>)
    : null;
}
