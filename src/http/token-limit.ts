import type { Request, RequestHandler, Response } from 'express';
import type { Principal } from '../auth/index.ts';
import { hashQuery } from '../modules/audit/access-log-hash.ts';
import type { Metrics } from '../platform/metrics.ts';
import { type TokenOverrun, tokenOverrun } from '../platform/token-overrun.ts';
import { type PlainOperation, plainOperation } from './plain-operation.ts';
import type { RecordEarlyRefusal } from './early-refusals.ts';
import { requestPurpose } from './purpose-header.ts';

/** The access log's side of a document refused before Apollo: how to record it, and who asked. */
export interface DocumentRefusalLog {
  record: RecordEarlyRefusal;
  callerOf: (req: Request) => Principal;
}

export interface TokenLimitOptions {
  maxTokens: number;
  metrics: Pick<Metrics, 'graphqlOperations' | 'graphqlDuration'>;
  /** With the access log on: the refusal's entry, as the access-log plugin writes one for a parse failure. */
  access?: DocumentRefusalLog;
}

/**
 * Refuses a POSTed document over the token limit before Apollo parses it, with Apollo's own
 * answer to it (400 GRAPHQL_PARSE_FAILED, graphql-js's message and location, byte for byte), its
 * access-log entry and its metrics. Found by `tokenOverrun`, which reads the text without building
 * tokens or AST nodes: parsing up to the limit, then the error's location scan, Apollo's hash of
 * the whole document and the garbage of it all were most of such a refusal's CPU.
 *
 * Anything Apollo would answer otherwise before parsing (a body that is not a plain operation, a
 * persisted query, an Accept header asking for another media type, a purpose header it refuses)
 * goes on to Apollo untouched, as does every document within the limit.
 */
export function refuseOverTokenLimit(options: TokenLimitOptions): RequestHandler {
  const { maxTokens, access } = options;
  const answer = tokenOverrunAnswer(options);
  return async (req, res, next) => {
    const started = performance.now();
    const operation = plainOperation(req);
    const overrun = operation && acceptsJson(req) ? tokenOverrun(operation.query, maxTokens) : undefined;
    if (!operation || !overrun) {
      next();
      return;
    }
    if (access) {
      const recorded = await recordRefusedDocument(req, res, access, operation);
      if (recorded === 'to-apollo') next();
      if (recorded !== 'recorded') return;
    }
    answer(res, overrun, started);
  };
}

/**
 * Apollo's answer to a document over the token limit (400 GRAPHQL_PARSE_FAILED, graphql-js's
 * message and location, byte for byte) and its metrics, `started` being when the request's
 * refusal began (performance.now()).
 */
export function tokenOverrunAnswer(
  options: Pick<TokenLimitOptions, 'maxTokens' | 'metrics'>,
): (res: Response, overrun: TokenOverrun, started: number) => void {
  const { maxTokens, metrics } = options;
  const message = `Syntax Error: Document contains more that ${maxTokens} tokens. Parsing aborted.`;
  return (res, overrun, started) => {
    const labels = { type: 'unknown', name: 'anonymous' };
    metrics.graphqlOperations.inc({ ...labels, outcome: 'error' });
    metrics.graphqlDuration.observe(labels, (performance.now() - started) / 1000);
    const error = {
      message,
      locations: [{ line: overrun.line, column: overrun.column }],
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    };
    res
      .status(400)
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify({ errors: [error] })}\n`);
  };
}

/** Apollo answers in application/json unless the client prefers graphql-response+json or accepts no JSON. */
export function acceptsJson(req: Request): boolean {
  const accept = req.headers.accept;
  if (accept === undefined || accept === '') return true;
  return !accept.includes('graphql-response') && (accept.includes('application/json') || accept.includes('*/*'));
}

/**
 * Writes a refused document's access-log entry as the access-log plugin would: `recorded`, then
 * the caller answers; `answered` when the entry could not be written and the 503 is already sent;
 * `to-apollo` when the purpose header is refused, which Apollo answers before it parses.
 */
export async function recordRefusedDocument(
  req: Request,
  res: Response,
  access: DocumentRefusalLog,
  operation: PlainOperation,
): Promise<'recorded' | 'answered' | 'to-apollo'> {
  let purpose: string | null;
  try {
    purpose = refusedDocumentPurpose(req, access);
  } catch {
    return 'to-apollo';
  }
  const refused = {
    operationName: operation.operationName,
    queryHash: hashQuery(operation.query, operation.variables),
    purpose,
  };
  return (await access.record(req, res, null, refused)) ? 'recorded' : 'answered';
}

/** The purpose a refused document's entry records; throws when Apollo would refuse the purpose header itself. */
export function refusedDocumentPurpose(req: Request, access: DocumentRefusalLog): string | null {
  return requestPurpose(req, access.callerOf(req).purpose);
}
