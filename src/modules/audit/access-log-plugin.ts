import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from '../../context.ts';
import { currentTraceId } from '../../platform/child-span.ts';
import type { AccessLogInput, AccessOutcome } from './access-log.ts';
import { hashQuery } from './access-log-hash.ts';
import type { AccessLogWriter } from './access-log-writer.ts';

const WITHHELD_MESSAGE = 'The access log cannot be written, so no answer is given; retry later.';

/**
 * Appends one access-log entry per operation: who asked, from where, for which matter, which
 * subjects, which conditional and not-shared fields were returned, which were refused and by
 * which rules. The response waits for the entry to be committed (the writer groups concurrent
 * entries into one transaction). If it cannot be, no answer leaves — unconditional ones
 * included, so an access never goes unrecorded — but a 503 `ACCESS_LOG_UNAVAILABLE` with
 * `Retry-After`; while the writer is known to be down, operations are refused before they run.
 */
export function accessLogPlugin(writer: AccessLogWriter, logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const at = new Date();
      return {
        async didResolveOperation() {
          // Nothing is fetched for an answer that could not be logged.
          if (writer.failed) throw accessLogUnavailable(writer.retryAfterSeconds());
        },
        async willSendResponse(requestContext) {
          const { contextValue, response } = requestContext;
          if (!contextValue.principal || !contextValue.permissions || response.body.kind !== 'single') return;
          try {
            await writer.append(accessLogEntry(requestContext, at));
          } catch (error) {
            logger.error({ err: error }, 'access log entry could not be written; answer withheld');
            const result = response.body.singleResult;
            result.data = null;
            result.extensions = undefined;
            result.errors = [
              {
                message: WITHHELD_MESSAGE,
                extensions: { code: 'ACCESS_LOG_UNAVAILABLE', retryAfterSeconds: writer.retryAfterSeconds() },
              },
            ];
            response.http.status = 503;
            response.http.headers.set('retry-after', String(writer.retryAfterSeconds()));
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
    reason: refusalRules(result.errors),
    traceId: currentTraceId(),
  };
}

function outcomeOf(data: unknown, errors: readonly GraphQLFormattedError[] | undefined): AccessOutcome {
  if (!data)
    return errors?.length && errors.every((error) => error.extensions?.['code'] === 'FORBIDDEN') ? 'DENIED' : 'ERROR';
  return errors?.length ? 'PARTIAL' : 'OK';
}

/** The sharing rules that refused something (`role`, `no-grant`, …), sorted, comma-separated; null if none. */
function refusalRules(errors: readonly GraphQLFormattedError[] | undefined): string | null {
  const rules = new Set(
    (errors ?? [])
      .filter((error) => error.extensions?.['code'] === 'FORBIDDEN')
      .map((error) => String(error.extensions?.['rule'] ?? 'forbidden')),
  );
  return rules.size > 0 ? [...rules].sort().join(',') : null;
}

function accessLogUnavailable(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(WITHHELD_MESSAGE, {
    extensions: {
      code: 'ACCESS_LOG_UNAVAILABLE',
      retryAfterSeconds,
      http: { status: 503, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}
