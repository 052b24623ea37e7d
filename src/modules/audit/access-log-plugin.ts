import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from '../../context.ts';
import { serializeEarly } from '../../http/early-serialized-answers.ts';
import { forbiddingRules, httpRefusalReason, ownRefusalReason } from '../../http/refusal-reasons.ts';
import { currentTraceId } from '../../platform/child-span.ts';
import type { AccessLogInput, AccessOutcome } from './access-log.ts';
import { hashQuery } from './access-log-hash.ts';
import type { AccessLogWriter } from './access-log-writer.ts';
import { withheldAnswer, withheldAnswerError } from './withheld-answer.ts';
import { appendFailureDetails } from './withheld-answer-log.ts';

/**
 * Appends one access-log entry per operation: who asked, from where, for which matter, which
 * subjects, which conditional and not-shared fields were returned, which were refused and by
 * which rules. The response waits for the entry to be committed (the writer groups concurrent
 * entries into one transaction). If it cannot be, no answer leaves — unconditional ones
 * included, so an access never goes unrecorded — but a 503 `ACCESS_LOG_UNAVAILABLE` with
 * `Retry-After` (STORE_UNAVAILABLE when the store itself cannot be reached: withheld-answer.ts);
 * while the writer is known to be down, operations are refused before they run. Either way the
 * request is noted as settled, so the access-log guard on /graphql does not record it again.
 */
export function accessLogPlugin(writer: AccessLogWriter, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const at = new Date();
      return {
        async didResolveOperation() {
          // Nothing is fetched for an answer that could not be logged.
          if (writer.failed) throw withheldAnswerError(writer);
        },
        async willSendResponse(requestContext) {
          const { contextValue, response } = requestContext;
          if (!contextValue.principal || !contextValue.permissions || response.body.kind !== 'single') return;
          try {
            const entry = accessLogEntry(requestContext, at);
            // Noted before it is appended, in the same turn: the writer gathering a batch stops waiting for it.
            contextValue.noteAccessLogged?.();
            const appended = writer.append(entry);
            // Once every plugin's willSendResponse has made its changes (none waits before making
            // them), and before the commit's wait lets the answer's objects go cold.
            await null;
            serializeEarly(response.body.singleResult);
            await appended;
          } catch (error) {
            logger.error(appendFailureDetails(error), 'access log entry could not be written; answer withheld');
            const withheld = withheldAnswer(writer, error);
            const result = response.body.singleResult;
            result.data = null;
            result.extensions = undefined;
            result.errors = [withheld];
            response.http.status = 503;
            response.http.headers.set('retry-after', String(withheld.extensions.retryAfterSeconds));
          } finally {
            contextValue.noteAccessLogged?.();
          }
        },
      };
    },
  };
}

/** The entry for one answered operation. */
export function accessLogEntry(
  requestContext: GraphQLRequestContextWillSendResponse<GatewayContext>,
  at: Date,
): AccessLogInput {
  const { contextValue, response, request, operationName } = requestContext;
  const status = response.http.status ?? 200;
  const { principal, permissions } = contextValue;
  if (!principal || !permissions || response.body.kind !== 'single')
    throw new Error('only authenticated single answers are logged');
  const result = response.body.singleResult;
  return {
    at,
    durationMs: Date.now() - at.getTime(),
    callerSubject: principal.subject,
    issuer: principal.issuer,
    authorityCode: principal.authorityCode,
    roles: [...principal.roles],
    purpose: permissions.standing.purpose,
    operationName: operationName ?? request.operationName ?? null,
    queryHash: hashQuery(request.query ?? '', request.variables),
    subjects: [...contextValue.subjectsTouched].sort(),
    conditionalFields: [...permissions.returnedConditional].sort(),
    conditionalGrants: Object.fromEntries([...permissions.readUnderGrant].sort(([a], [b]) => a.localeCompare(b))),
    notSharedFields: [...permissions.returnedNotShared].sort(),
    deniedFields: [...permissions.denied].sort(),
    outcome: outcomeOf(result.data, result.errors),
    clientAddress: contextValue.clientAddress ?? null,
    reason:
      forbiddingRules(result.errors ?? []) ??
      httpRefusalReason({ status, method: request.http?.method ?? 'POST', body: null, errors: result.errors ?? [] }) ??
      ownRefusalReason(status, result.errors ?? []),
    traceId: currentTraceId(),
  };
}

function outcomeOf(data: unknown, errors: readonly GraphQLFormattedError[] | undefined): AccessOutcome {
  if (!data)
    return errors?.length && errors.every((error) => error.extensions?.['code'] === 'FORBIDDEN') ? 'DENIED' : 'ERROR';
  return errors?.length ? 'PARTIAL' : 'OK';
}
