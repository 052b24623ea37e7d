import express from 'express';
import type { Request, Response } from 'express';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import type { AuthenticationError } from '../auth/index.ts';
import { currentTraceId } from '../platform/child-span.ts';
import type { AccessLogInput } from '../modules/audit/access-log.ts';
import { hashQuery } from '../modules/audit/access-log-hash.ts';
import type { AccessLogWriter } from '../modules/audit/access-log-writer.ts';
import { appendFailureDetails } from '../modules/audit/withheld-answer-log.ts';
import { GRAPHQL_BODY_LIMIT } from './body-errors.ts';
import { answerAccessLogUnavailable } from './early-refusals.ts';
import { noteAccessLogged } from './access-logged-requests.ts';

/**
 * Records a request refused for lack of a valid token. Resolves true once the refusal is in the
 * access log; false when it could not be, after answering the request 503 itself (no answer
 * leaves unrecorded, a 401 included).
 */
export type RecordRefusal = (req: Request, res: Response, error: AuthenticationError) => Promise<boolean>;

interface Operation {
  query: string;
  variables: Record<string, unknown> | null;
  operationName: string | null;
}

/**
 * The access log's entry for each 401: no caller (the token proved none), the client's address,
 * the reason, the operation's hash and the root fields it asked for. The body is read here — the
 * authenticator runs before the JSON parser — within the same size limit, and the document
 * parsed within `maxTokens`, so a refused request costs no more than an accepted one would.
 */
export function authenticationRefusalRecorder(
  writer: AccessLogWriter,
  logger: Logger,
  maxTokens: number,
): RecordRefusal {
  const readJson = express.json({ limit: GRAPHQL_BODY_LIMIT });
  return async (req, res, error) => {
    const at = new Date();
    const operation = await readOperation(req, res, readJson);
    const asked = askedFor(operation, maxTokens);
    const entry: AccessLogInput = {
      at,
      durationMs: Date.now() - at.getTime(),
      callerSubject: '',
      issuer: '',
      authorityCode: '',
      roles: [],
      purpose: null,
      operationName: asked.operationName,
      queryHash: hashQuery(operation.query, operation.variables),
      subjects: [],
      conditionalFields: [],
      notSharedFields: [],
      deniedFields: asked.fields,
      outcome: 'UNAUTHENTICATED',
      clientAddress: req.ip ?? null,
      reason: error.reason,
      traceId: currentTraceId(),
    };
    // Only now: should building the entry have thrown, the guard on /graphql records the answer.
    noteAccessLogged(req);
    try {
      await writer.append(entry);
      return true;
    } catch (failure) {
      logger.error(appendFailureDetails(failure), 'refused authentication could not be logged; answered 503');
      answerAccessLogUnavailable(res, writer, failure);
      return false;
    }
  };
}

async function readOperation(req: Request, res: Response, readJson: express.RequestHandler): Promise<Operation> {
  if (req.method === 'GET') {
    const { query, variables, operationName } = req.query;
    return {
      query: text(query) ?? '',
      variables: parsedVariables(text(variables)),
      operationName: text(operationName),
    };
  }
  // A body that is not JSON or too large leaves only what is known: no operation.
  await new Promise<void>((resolve) => readJson(req, res, () => resolve()));
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object') return { query: '', variables: null, operationName: null };
  const { query, variables, operationName } = body as Record<string, unknown>;
  return {
    query: text(query) ?? '',
    variables: variables !== null && typeof variables === 'object' ? (variables as Record<string, unknown>) : null,
    operationName: text(operationName),
  };
}

/**
 * The operation's name (as sent, else as written in the document) and what it asked for at its
 * root: `Query.subject`, `Mutation.createGrant`, ….
 */
function askedFor(operation: Operation, maxTokens: number): { operationName: string | null; fields: string[] } {
  let definitions: readonly OperationDefinitionNode[];
  try {
    definitions = parse(operation.query, { maxTokens }).definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return { operationName: operation.operationName, fields: [] };
  }
  const chosen =
    operation.operationName === null
      ? definitions.length === 1
        ? definitions[0]
        : undefined
      : definitions.find((definition) => definition.name?.value === operation.operationName);
  if (!chosen) return { operationName: operation.operationName, fields: [] };
  const root = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' }[chosen.operation];
  const fields = chosen.selectionSet.selections.flatMap((selection) =>
    selection.kind === Kind.FIELD ? [`${root}.${selection.name.value}`] : [],
  );
  return { operationName: chosen.name?.value ?? operation.operationName, fields: [...new Set(fields)].sort() };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parsedVariables(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
